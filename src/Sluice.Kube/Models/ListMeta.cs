namespace Sluice.Kube.Models;

/// <summary>A list's metadata: the resource version a watch continues from.</summary>
public sealed class ListMeta
{
    public string? ResourceVersion { get; set; }
}
