using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cni.Config;
using Sluice.Cni.Results;

namespace Sluice.Ipam.Config;

/// <summary>The <c>ipam</c> section, in host-local's schema (so existing configurations work unchanged).</summary>
public sealed class IpamConfig
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("ranges")]
    public List<List<IpRange>>? Ranges { get; set; }

    /// <summary>Legacy single range: top-level <c>subnet</c>, <c>rangeStart</c>, <c>rangeEnd</c>, <c>gateway</c>.</summary>
    [JsonPropertyName("subnet")]
    public string? Subnet { get; set; }

    [JsonPropertyName("rangeStart")]
    public string? RangeStart { get; set; }

    [JsonPropertyName("rangeEnd")]
    public string? RangeEnd { get; set; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }

    [JsonPropertyName("routes")]
    public List<CniRoute>? Routes { get; set; }

    [JsonPropertyName("dataDir")]
    public string? DataDir { get; set; }

    [JsonPropertyName("resolvConf")]
    public string? ResolvConf { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(IpamConfig))]
internal sealed partial class IpamJsonContext : JsonSerializerContext;
