using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>
/// <c>runtimeConfig</c>: the well-known capabilities the runtime supplies. Keys are matched
/// case-insensitively because Go runtimes may send <c>PortMappings</c>, <c>HostPort</c>, …
/// </summary>
public sealed class RuntimeConfig
{
    [JsonPropertyName("portMappings")]
    public List<PortMapping>? PortMappings { get; set; }

    /// <summary>Range sets, each a list of ranges (the host-local <c>ranges</c> shape).</summary>
    [JsonPropertyName("ipRanges")]
    public List<List<IpRange>>? IpRanges { get; set; }

    [JsonPropertyName("bandwidth")]
    public JsonElement? Bandwidth { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }

    [JsonPropertyName("ips")]
    public List<string>? Ips { get; set; }

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    [JsonPropertyName("infinibandGUID")]
    public string? InfinibandGuid { get; set; }

    [JsonPropertyName("deviceID")]
    public string? DeviceId { get; set; }

    [JsonPropertyName("aliases")]
    public List<string>? Aliases { get; set; }

    [JsonPropertyName("cgroupPath")]
    public string? CgroupPath { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
