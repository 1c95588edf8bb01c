namespace Sluice.Capture.Policy;

/// <summary>How inbound connections reach the proxy.</summary>
public enum InboundMode
{
    /// <summary>nat REDIRECT: the proxy sees the pod's address as the local one and asks SO_ORIGINAL_DST for the port.</summary>
    Redirect,

    /// <summary>TPROXY in mangle with a mark and a policy-routing table: the proxy's accepted socket keeps the original destination (and the client's source address).</summary>
    Tproxy,
}

/// <summary>The IP families whose traffic is captured.</summary>
/// <summary>Reading an inbound mode as flags, annotations and configuration spell it.</summary>
public static class InboundModes
{
    /// <summary><c>REDIRECT</c> or <c>TPROXY</c>, any case; anything else names <paramref name="field"/>.</summary>
    public static InboundMode Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().ToUpperInvariant() switch
        {
            "REDIRECT" => InboundMode.Redirect,
            "TPROXY" => InboundMode.Tproxy,
            _ => throw new PolicyException(field, text, "is not an interception mode (REDIRECT or TPROXY)"),
        };
    }

    /// <summary>The mode as flags spell it (<c>REDIRECT</c>, <c>TPROXY</c>), without the reflection of <see cref="Enum.ToString()"/>.</summary>
    public static string Name(InboundMode mode) => mode == InboundMode.Tproxy ? "TPROXY" : "REDIRECT";
}

[Flags]
public enum CaptureFamilies
{
    Ipv4 = 1,
    Ipv6 = 2,
    Both = Ipv4 | Ipv6,
}
