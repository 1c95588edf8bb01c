using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>One address range, as in host-local's <c>ranges</c> and the <c>ipRanges</c> capability.</summary>
public sealed class IpRange
{
    public static JsonShape<IpRange> Shape { get; } = new JsonShape<IpRange>(() => new IpRange())
        .Text("subnet", r => r.Subnet, (r, v) => r.Subnet = v)
        .Text("rangeStart", r => r.RangeStart, (r, v) => r.RangeStart = v)
        .Text("rangeEnd", r => r.RangeEnd, (r, v) => r.RangeEnd = v)
        .Text("gateway", r => r.Gateway, (r, v) => r.Gateway = v);

    public string? Subnet { get; set; }

    public string? RangeStart { get; set; }

    public string? RangeEnd { get; set; }

    public string? Gateway { get; set; }
}
