namespace Sluice.Kube.Models;

/// <summary>A list's metadata: the resource version a watch continues from, and for a page of a list, the token for the next page.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }

    /// <summary>Set on a page that is not the last (a request with <c>limit</c>): pass it as <c>continue</c> for the next.</summary>
    public string? Continue { get; set; }
}
