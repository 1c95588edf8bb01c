using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The metadata of the objects <see cref="KubeJsonContext"/> reads and writes (DaemonSets, events; nodes have <see cref="NodeMetaJsonConverter"/>) with <see cref="ObjectMeta.Shape"/>.</summary>
internal sealed class ObjectMetaJsonConverter() : JsonShapeConverter<ObjectMeta>(ObjectMeta.Shape);

/// <summary>A node's metadata with <see cref="NodeShape"/>: what the agent uses of it, nothing more.</summary>
internal sealed class NodeMetaJsonConverter() : JsonShapeConverter<ObjectMeta>(NodeShape)
{
    /// <summary>The keys of <see cref="ObjectMeta.Shape"/> never read for a node.</summary>
    private static readonly string[] NotReadForNodes = ["namespace", "labels", "annotations", "ownerReferences"];

    /// <summary>
    /// A node's metadata as the agent reads it: <see cref="ObjectMeta.Shape"/>'s keys without labels,
    /// annotations or owner references, which it never uses for nodes and which are half of what
    /// 5,000 decoded nodes hold (a real node has a score of each). Read-only: nothing writes a node
    /// back from this. Built here, where nodes are read, not beside <see cref="ObjectMeta.Shape"/>,
    /// whose type sluice-redirect initialises at every start for pods.
    /// </summary>
    internal static JsonShape<ObjectMeta> NodeShape { get; } = new JsonShape<ObjectMeta>(() => new ObjectMeta(), KeyMatch.Exact)
        .Include(ObjectMeta.Shape.Fields.Where(field => !NotReadForNodes.Contains(field.Key)));
}
