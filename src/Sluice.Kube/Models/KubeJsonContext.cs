using System.Text.Json.Serialization;

namespace Sluice.Kube.Models;

/// <summary>Source-generated JSON for every type read from the API server (no reflection, AOT-clean).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(DaemonSet))]
[JsonSerializable(typeof(KubeList<Pod>))]
[JsonSerializable(typeof(KubeList<Node>))]
[JsonSerializable(typeof(RawWatchEvent))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(KubeEvent))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
