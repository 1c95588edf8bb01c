using System.Text.Json.Serialization;
using Sluice.Cni.Config;

namespace Sluice.Cni.Results;

/// <summary>
/// A plugin result. One type holds the union of the fields of every supported version;
/// <see cref="ResultConversion.ToVersion"/> shapes it for the version the runtime asked for.
/// </summary>
public sealed class CniResult
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("interfaces")]
    public List<CniInterface>? Interfaces { get; set; }

    [JsonPropertyName("ips")]
    public List<CniIpConfig>? Ips { get; set; }

    [JsonPropertyName("routes")]
    public List<CniRoute>? Routes { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }

    public CniResult Clone() => new()
    {
        CniVersion = CniVersion,
        Interfaces = Interfaces?.Select(item => item.Clone()).ToList(),
        Ips = Ips?.Select(item => item.Clone()).ToList(),
        Routes = Routes?.Select(item => item.Clone()).ToList(),
        Dns = Dns?.Clone(),
    };
}
