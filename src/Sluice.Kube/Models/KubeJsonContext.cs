using System.Text.Json.Serialization;

namespace Sluice.Kube.Models;

/// <summary>
/// Source-generated JSON for every type read from the API server (no reflection, AOT-clean). Pods
/// and object metadata go through their shapes (<see cref="Pod.Shape"/>, <see cref="ObjectMeta.Shape"/>),
/// so their keys are declared once. The converters are registered here, not on the types, which
/// keeps them and the serializer code behind them out of sluice-redirect (it reads pods only
/// through <see cref="PodJson"/>). One exception: a node's metadata has its own shape
/// (<see cref="NodeMetaJsonConverter.NodeShape"/>), named on <see cref="Node.Metadata"/>, which sluice-redirect never reads.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(PodJsonConverter), typeof(ObjectMetaJsonConverter)])]
[JsonSerializable(typeof(Pod))]
[JsonSerializable(typeof(Node))]
[JsonSerializable(typeof(DaemonSet))]
[JsonSerializable(typeof(ListMeta))]
[JsonSerializable(typeof(RawWatchEvent))]
[JsonSerializable(typeof(Status))]
[JsonSerializable(typeof(KubeEvent))]
internal sealed partial class KubeJsonContext : JsonSerializerContext;
