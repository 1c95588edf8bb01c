using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The metadata of the objects <see cref="KubeJsonContext"/> reads and writes (DaemonSets, events; nodes have <see cref="NodeMetaJsonConverter"/>) with <see cref="ObjectMeta.Shape"/>.</summary>
internal sealed class ObjectMetaJsonConverter() : JsonShapeConverter<ObjectMeta>(ObjectMeta.Shape);

/// <summary>A node's metadata with <see cref="ObjectMeta.NodeShape"/>: what the agent uses of it, nothing more.</summary>
internal sealed class NodeMetaJsonConverter() : JsonShapeConverter<ObjectMeta>(ObjectMeta.NodeShape);
