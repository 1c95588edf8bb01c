using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

public sealed class PortMapping
{
    [JsonPropertyName("hostPort")]
    public int HostPort { get; set; }

    [JsonPropertyName("containerPort")]
    public int ContainerPort { get; set; }

    [JsonPropertyName("protocol")]
    public string? Protocol { get; set; }

    [JsonPropertyName("hostIP")]
    public string? HostIp { get; set; }
}
