using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The metadata of the objects <see cref="KubeJsonContext"/> reads and writes (nodes, DaemonSets, events) with <see cref="ObjectMeta.Shape"/>.</summary>
internal sealed class ObjectMetaJsonConverter() : JsonShapeConverter<ObjectMeta>(ObjectMeta.Shape);
