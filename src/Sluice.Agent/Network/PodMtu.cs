using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Agent.Network;

/// <summary>
/// The MTU the pod network's configuration gives sluice-bridge (both ends of every pod's veth,
/// and the bridge when it is created), with where it came from, for the log and
/// <c>sluice-agent status</c>. A null <see cref="Value"/> writes no <c>mtu</c>: sluice-bridge
/// keeps its default and <see cref="Warning"/> says why. A warning never makes the agent unready.
/// </summary>
public sealed record PodMtu(int? Value, string Source, string? Warning)
{
    /// <summary>The smallest datagram every IPv4 host must accept (RFC 791).</summary>
    public const int Minimum = 576;

    /// <summary>IPv6's minimum link MTU (RFC 8200): below it the kernel turns IPv6 off on the interface.</summary>
    public const int MinimumIPv6 = 1280;

    public const int Maximum = 65535;

    /// <summary>The smallest MTU the pods can live with: IPv6's minimum when the cluster has an IPv6 network.</summary>
    public static int Floor(IEnumerable<IPNetwork> clusterCidrs) =>
        clusterCidrs.Any(c => c.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6) ? MinimumIPv6 : Minimum;

    /// <summary>The operator's setting (checked at start), as it is.</summary>
    public static PodMtu Configured(int mtu, string setting) => new(mtu, string.Create(CultureInfo.InvariantCulture, $"{mtu} from {setting}"), null);

    /// <summary>What a pod may send over a link of <paramref name="linkMtu"/> once the backend added its <paramref name="overhead"/>.</summary>
    public static int Derive(int linkMtu, int overhead) => linkMtu - overhead;

    /// <summary>
    /// From the links that hold this node's InternalIPs: the smallest of their MTUs less the
    /// backend's overhead, since pods' packets leave by any of them. InternalIPs on no local link
    /// are left out, and named; with none on a local link, or a result below
    /// <paramref name="floor"/>, no value.
    /// </summary>
    public static PodMtu FromUnderlay(IReadOnlyList<UnderlayLink> underlay, TunnelOverhead overhead, int floor)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        ArgumentNullException.ThrowIfNull(overhead);
        var held = underlay.Where(u => u.LinkName is not null).ToList();
        var missing = underlay.Where(u => u.LinkName is null).Select(u => u.InternalIp).ToList();
        if (underlay.Count == 0)
        {
            return Default("this node's Node has no InternalIP to find its link by");
        }

        if (held.Count == 0)
        {
            return Default($"no link in the agent's network namespace holds this node's InternalIP {Join(missing)}");
        }

        var links = held.GroupBy(u => u.LinkName!, StringComparer.Ordinal)
            .Select(g => new LinkShare(g.Key, [.. g.Select(u => u.InternalIp)], g.First().Mtu, g.Min(u => Derive(u.Mtu, overhead.For(u.InternalIp)))))
            .OrderBy(l => l.PodMtu).ThenBy(l => l.Name, StringComparer.Ordinal).ToList();
        var value = links[0].PodMtu;
        var source = Describe(links, overhead);
        if (value < floor)
        {
            return Default($"the pod MTU {source}, would be below {floor}, the smallest the pod network can use{(floor == MinimumIPv6 ? " with IPv6" : "")}");
        }

        return new PodMtu(value, source, missing.Count == 0 ? null : $"InternalIP {Join(missing)} is on no local link; the pod MTU comes from {Join(held.Select(u => u.InternalIp))}");
    }

    /// <summary>"1400 from eth1, which holds 10.0.0.2"; with several links, each named, and "the smallest of" when they differ.</summary>
    private static string Describe(List<LinkShare> links, TunnelOverhead overhead)
    {
        var value = links[0].PodMtu;
        if (links.Count == 1)
        {
            return $"{value} from {links[0].Name}, which holds {Join(links[0].Ips)}{links[0].Less(overhead)}";
        }

        return links.All(l => l.PodMtu == value)
            ? $"{value} from " + string.Join(" and ", links.Select(l => $"{l.Name} ({Join(l.Ips)}){l.Less(overhead)}"))
            : $"{value}, the smallest of " + string.Join(", ", links.Select(l => $"{l.Name} ({Join(l.Ips)}) {l.PodMtu}{l.Less(overhead)}"));
    }

    private static PodMtu Default(string why) => new(null, "none: sluice-bridge's default", $"{why}; the pod network's configuration gets no mtu, so sluice-bridge uses its default (1500)");

    private static string Join(IEnumerable<IPAddress> ips) => string.Join(" and ", ips);

    /// <summary>One link holding InternalIPs: its MTU and what it leaves the pods.</summary>
    private sealed record LinkShare(string Name, IReadOnlyList<IPAddress> Ips, int LinkMtu, int PodMtu)
    {
        public string Less(TunnelOverhead overhead) =>
            LinkMtu == PodMtu ? "" : string.Create(CultureInfo.InvariantCulture, $" ({LinkMtu} less {LinkMtu - PodMtu} for {overhead.Backend})");
    }
}
