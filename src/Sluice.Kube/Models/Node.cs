using System.Text.Json.Serialization;

namespace Sluice.Kube.Models;

/// <summary>A node as the API server serves it (core/v1), reduced to what Sluice reads.</summary>
public sealed class Node
{
    [JsonConverter(typeof(NodeMetaJsonConverter))]
    public ObjectMeta Metadata { get; set; } = new();

    public NodeSpec Spec { get; set; } = new();

    public NodeStatus Status { get; set; } = new();
}
