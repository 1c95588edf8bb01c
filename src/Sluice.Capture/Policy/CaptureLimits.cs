namespace Sluice.Capture.Policy;

/// <summary>
/// Bounds on what one capture policy may list, so that a pod's annotation cannot make the plugin
/// install tens of thousands of rules (issue 17 measured what an unbounded list cost: docs/security.md).
/// Far above real use: Istio's own lists hold a handful of entries. docs/security.md lists them.
/// </summary>
public static class CaptureLimits
{
    /// <summary>Ports or port ranges (after merging adjacent ones) per port list, networks per network list.</summary>
    public const int MaxListEntries = 256;

    /// <summary>Interface names per interface list.</summary>
    public const int MaxInterfaces = 32;

    /// <summary>How much of a refused value an error message repeats.</summary>
    private const int ExcerptLength = 80;

    /// <summary>The start of <paramref name="text"/>, so an error about a huge value stays one readable line.</summary>
    public static string Excerpt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= ExcerptLength ? text : string.Concat(text.AsSpan(0, ExcerptLength), $"… ({text.Length} characters)");
    }
}
