using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>One attachment named in GC input: a container ID and interface name pair.</summary>
public sealed record Attachment
{
    [JsonPropertyName("containerID")]
    public string ContainerId { get; init; } = "";

    [JsonPropertyName("ifname")]
    public string IfName { get; init; } = "";
}
