using System.Net;
using System.Text.Json.Serialization;

namespace Sluice.Cni.Results;

public sealed class CniIpConfig
{
    /// <summary>"4" or "6"; present in 0.3.x and 0.4.0 results only.</summary>
    [JsonPropertyName("version")]
    public string? Version { get; set; }

    /// <summary>The address with its prefix length, e.g. <c>10.22.0.5/24</c>.</summary>
    [JsonPropertyName("address")]
    public string Address { get; set; } = "";

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }

    /// <summary>Index into the result's interfaces; absent in IPAM results.</summary>
    [JsonPropertyName("interface")]
    public int? Interface { get; set; }

    [JsonIgnore]
    public InterfaceAddress ParsedAddress => InterfaceAddress.Parse(Address);

    [JsonIgnore]
    public IPAddress? ParsedGateway => Gateway is null ? null : IPAddress.Parse(Gateway);

    public CniIpConfig Clone() => (CniIpConfig)MemberwiseClone();
}
