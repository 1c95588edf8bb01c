using System.Globalization;
using System.Net;
using Sluice.Cni;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Cni.Results;
using Sluice.Ipam.Allocation;
using Sluice.Net;

namespace Sluice.Ipam.Config;

/// <summary>The validated IPAM configuration of one network: its range sets, routes and store location.</summary>
public sealed class IpamSettings
{
    public const string DefaultDataDir = "/var/lib/cni/networks";

    public required string NetworkName { get; init; }

    public required IReadOnlyList<RangeSet> RangeSets { get; init; }

    public IReadOnlyList<CniRoute> Routes { get; init; } = [];

    public string DataDir { get; init; } = DefaultDataDir;

    public string? ResolvConf { get; init; }

    /// <summary>The directory holding this network's allocations (<c>dataDir/name</c>).</summary>
    public string NetworkDirectory => Path.Combine(DataDir, NetworkName);

    /// <summary>
    /// Reads the <c>ipam</c> section of <paramref name="config"/>. <c>runtimeConfig.ipRanges</c>,
    /// when the runtime supplies it, replaces the configured ranges (as host-local does).
    /// Every problem is a CNI error (code 7) naming the field and value.
    /// </summary>
    public static IpamSettings Load(NetworkConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.IpamJson is not { } section)
        {
            throw Invalid("network configuration has no 'ipam' object");
        }

        var ipam = CniJson.Read(section, IpamConfig.Shape, "network configuration", "ipam");
        var sets = SelectRanges(ipam, config.RuntimeConfig);
        var rangeSets = sets.Select((set, i) => ParseRangeSet(set.Ranges, i, set.Field, set.Legacy)).ToList();
        RequireDisjoint(rangeSets, sets);
        foreach (var (route, i) in (ipam.Routes ?? []).Select((r, i) => (r, i)))
        {
            if (!InterfaceAddress.TryParse(route.Dst, out _))
            {
                throw Invalid($"ipam.routes[{I(i)}].dst '{route.Dst}' is not a CIDR");
            }

            if (route.Gw is not null && !IpText.TryParse(route.Gw, out _))
            {
                throw Invalid($"ipam.routes[{I(i)}].gw '{route.Gw}' is not an IP address");
            }
        }

        return new IpamSettings
        {
            NetworkName = config.Name ?? throw Invalid("network configuration field 'name' is missing"),
            RangeSets = rangeSets,
            Routes = ipam.Routes ?? [],
            DataDir = string.IsNullOrEmpty(ipam.DataDir) ? DefaultDataDir : CheckedDataDir(ipam.DataDir),
            ResolvConf = string.IsNullOrEmpty(ipam.ResolvConf) ? null : CheckedAbsolute(ipam.ResolvConf, "ipam.resolvConf"),
        };
    }

    private static List<(List<IpRange> Ranges, string Field, bool Legacy)> SelectRanges(IpamConfig ipam, RuntimeConfig? runtime)
    {
        if (runtime?.IpRanges is { Count: > 0 } runtimeRanges)
        {
            return runtimeRanges.Select((set, i) => (set, $"runtimeConfig.ipRanges[{I(i)}]", false)).ToList();
        }

        // As host-local does: the legacy top-level subnet becomes the first range set.
        var sets = new List<(List<IpRange> Ranges, string Field, bool Legacy)>();
        if (ipam.Subnet is not null)
        {
            sets.Add(([new IpRange { Subnet = ipam.Subnet, RangeStart = ipam.RangeStart, RangeEnd = ipam.RangeEnd, Gateway = ipam.Gateway }], "ipam", true));
        }

        sets.AddRange((ipam.Ranges ?? []).Select((set, i) => (set, $"ipam.ranges[{I(i)}]", false)));
        return sets.Count > 0
            ? sets
            : throw Invalid("ipam has no 'ranges' (or legacy 'subnet'): there is nothing to allocate from");
    }

    private static RangeSet ParseRangeSet(List<IpRange> set, int index, string field, bool legacy)
    {
        if (set is null || set.Count == 0)
        {
            throw Invalid($"{field} is an empty range set");
        }

        var ranges = set.Select((range, i) => ParseRange(range, legacy ? field : $"{field}[{I(i)}]")).ToList();
        for (var i = 0; i < ranges.Count; i++)
        {
            if (ranges[i].Family != ranges[0].Family)
            {
                throw Invalid($"{field} mixes IPv4 and IPv6 ranges; use one range set per address family");
            }

            for (var j = 0; j < i; j++)
            {
                if (ranges[i].Overlaps(ranges[j]))
                {
                    throw Invalid($"{field}[{I(i)}] {ranges[i]} overlaps {field}[{I(j)}] {ranges[j]}");
                }
            }
        }

        return new RangeSet(index, ranges);
    }

    private static AddressRange ParseRange(IpRange range, string field)
    {
        if (Cidr.Problem(range.Subnet, out var network) is { } problem)
        {
            throw Invalid($"{field}.subnet '{range.Subnet}' {problem}");
        }

        var bits = IpMath.Bits(network.BaseAddress.AddressFamily);
        if (network.PrefixLength > bits - 2)
        {
            throw Invalid($"{field}.subnet '{range.Subnet}' is too small to allocate from");
        }

        var (first, last) = IpMath.Bounds(network);
        var family = network.BaseAddress.AddressFamily;
        var defaultEnd = bits == 32 ? last - 1 : last;
        var start = ParseInSubnet(range.RangeStart, network, $"{field}.rangeStart") ?? IpMath.FromNumber(first + 1, family);
        var end = ParseInSubnet(range.RangeEnd, network, $"{field}.rangeEnd") ?? IpMath.FromNumber(defaultEnd, family);
        if (IpMath.ToNumber(start) > IpMath.ToNumber(end))
        {
            throw Invalid($"{field}.rangeStart {start} is after rangeEnd {end}");
        }

        IPAddress gateway;
        if (range.Gateway is null)
        {
            gateway = IpMath.FromNumber(first + 1, family);
        }
        else if (!IpText.TryParse(range.Gateway, out gateway) || gateway.AddressFamily != family)
        {
            throw Invalid($"{field}.gateway '{range.Gateway}' is not an address of the family of {network}");
        }

        return new AddressRange(network, start, end, gateway);
    }

    private static IPAddress? ParseInSubnet(string? text, IPNetwork network, string field)
    {
        if (text is null)
        {
            return null;
        }

        if (!IpText.TryParse(text, out var address) || !network.Contains(address))
        {
            throw Invalid($"{field} '{text}' is not an address in {network}");
        }

        return address;
    }

    private static void RequireDisjoint(List<RangeSet> sets, List<(List<IpRange> Ranges, string Field, bool Legacy)> fields)
    {
        for (var i = 0; i < sets.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (sets[i].Ranges.Any(a => sets[j].Ranges.Any(b => a.Overlaps(b))))
                {
                    throw Invalid($"{fields[i].Field} overlaps {fields[j].Field}");
                }
            }
        }
    }

    /// <summary>
    /// The store's directory: absolute and without <c>.</c> or <c>..</c> parts, so that it names one
    /// place for every reader (.NET and libc resolve a relative path with <c>..</c> differently).
    /// </summary>
    private static string CheckedDataDir(string path) => CheckedAbsolute(path, "ipam.dataDir");

    /// <summary>A file or directory the plugin opens: never relative to wherever the runtime ran it from.</summary>
    private static string CheckedAbsolute(string path, string field) =>
        Path.IsPathFullyQualified(path) && !path.Split('/').Any(part => part is "." or "..")
            ? path
            : throw Invalid($"{field} '{path}' is not an absolute path without '.' or '..' parts");

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}
