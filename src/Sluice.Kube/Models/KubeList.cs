namespace Sluice.Kube.Models;

/// <summary>
/// The answer to a list request: the items and the resource version to start a watch from,
/// so that no change between the list and the watch is missed.
/// </summary>
public sealed class KubeList<T>
{
    public ListMeta Metadata { get; set; } = new();

    public List<T> Items { get; set; } = [];

    /// <summary>The list's resource version ("" when the server sent none).</summary>
    public string ResourceVersion => Metadata.ResourceVersion ?? "";
}
