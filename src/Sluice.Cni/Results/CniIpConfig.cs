using System.Net;
using Sluice.Json;
using Sluice.Net;

namespace Sluice.Cni.Results;

public sealed class CniIpConfig
{
    public static JsonShape<CniIpConfig> Shape { get; } = new JsonShape<CniIpConfig>(() => new CniIpConfig())
        .Text("version", i => i.Version, (i, v) => i.Version = v)
        .Text("address", i => i.Address, (i, v) => i.Address = v!)
        .Text("gateway", i => i.Gateway, (i, v) => i.Gateway = v)
        .Int32("interface", i => i.Interface, (i, v) => i.Interface = v);

    /// <summary>"4" or "6"; present in 0.3.x and 0.4.0 results only.</summary>
    public string? Version { get; set; }

    /// <summary>The address with its prefix length, e.g. <c>10.22.0.5/24</c>.</summary>
    public string Address { get; set; } = "";

    public string? Gateway { get; set; }

    /// <summary>Index into the result's interfaces; absent in IPAM results.</summary>
    public int? Interface { get; set; }

    public InterfaceAddress ParsedAddress => InterfaceAddress.Parse(Address);

    public IPAddress? ParsedGateway => Gateway is null ? null : IPAddress.Parse(Gateway);

    public CniIpConfig Clone() => (CniIpConfig)MemberwiseClone();
}
