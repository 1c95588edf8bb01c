using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A <see cref="Pod"/> in <see cref="KubeJsonContext"/> (pod lists, watch events, patch answers) read and written with <see cref="Pod.Shape"/>.</summary>
internal sealed class PodJsonConverter() : JsonShapeConverter<Pod>(Pod.Shape);
