using Sluice.Cni.Config;
using Sluice.Cni.Results;
using Sluice.Json;

namespace Sluice.Ipam.Config;

/// <summary>The <c>ipam</c> section, in host-local's schema (so existing configurations work unchanged), every key declared once in <see cref="Shape"/>.</summary>
public sealed class IpamConfig
{
    public static JsonShape<IpamConfig> Shape { get; } = new JsonShape<IpamConfig>(() => new IpamConfig())
        .Text("type", c => c.Type, (c, v) => c.Type = v)
        .Field("ranges", JsonCodecs.ListOf(JsonCodecs.NonNull(JsonCodecs.ListOf(JsonCodecs.NonNull(IpRange.Shape)))), c => c.Ranges, (c, v) => c.Ranges = v)
        .Text("subnet", c => c.Subnet, (c, v) => c.Subnet = v)
        .Text("rangeStart", c => c.RangeStart, (c, v) => c.RangeStart = v)
        .Text("rangeEnd", c => c.RangeEnd, (c, v) => c.RangeEnd = v)
        .Text("gateway", c => c.Gateway, (c, v) => c.Gateway = v)
        .List("routes", CniRoute.Shape, c => c.Routes, (c, v) => c.Routes = v)
        .Text("dataDir", c => c.DataDir, (c, v) => c.DataDir = v)
        .Text("resolvConf", c => c.ResolvConf, (c, v) => c.ResolvConf = v);

    public string? Type { get; set; }

    public List<List<IpRange>>? Ranges { get; set; }

    /// <summary>Legacy single range: top-level <c>subnet</c>, <c>rangeStart</c>, <c>rangeEnd</c>, <c>gateway</c>.</summary>
    public string? Subnet { get; set; }

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    public string? Gateway { get; set; }

    public List<CniRoute>? Routes { get; set; }

    public string? DataDir { get; set; }

    public string? ResolvConf { get; set; }
}
