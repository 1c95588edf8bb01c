using System.Net;
using System.Net.Sockets;
using Sluice.Cni.Logging;
using Sluice.Linux.Conntrack;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Portmap;

/// <summary>
/// UDP has no connection to end: conntrack keeps an entry alive as long as datagrams keep coming,
/// and NAT is decided once, on the entry's first packet. A client that kept sending to a host port
/// while no pod had it (its datagrams went to the node) or while a pod that is gone had it (they
/// went to that pod) would never reach the new pod. So after an ADD, entries to the forwarded
/// ports on the node's own addresses that are not translated to this pod go; after a DEL or GC,
/// entries translated to the removed pod endpoints go. Failures are logged, not fatal: the
/// forwarding itself is in place, and such entries expire 30 s after the traffic stops.
/// </summary>
internal static class StaleConnections
{
    public static void AfterAdd(IReadOnlyList<PortForward> forwards, CniLog log)
    {
        var udp = forwards.Where(f => f.Protocol == MappingProtocol.Udp).ToList();
        if (udp.Count == 0)
        {
            return;
        }

        Clear(log, conntrack =>
        {
            using var rtnl = Rtnl.Open();
            var local = rtnl.ListAddresses().Select(a => a.Address).ToHashSet();
            return udp.Sum(f => Delete(conntrack, f, e =>
                (f.HostIp is null ? local.Contains(e.Original.Destination) || IPAddress.IsLoopback(e.Original.Destination) : f.HostIp.Equals(e.Original.Destination)) &&
                !(e.Reply.Source.Equals(f.PodAddress) && e.Reply.SourcePort == f.ContainerPort)));
        });
    }

    public static void AfterRemoval(IReadOnlyList<PortForward> removed, CniLog log)
    {
        var udp = removed.Where(f => f.Protocol == MappingProtocol.Udp).ToList();
        if (udp.Count > 0)
        {
            Clear(log, conntrack => udp.Sum(f => Delete(conntrack, f, e => e.Reply.Source.Equals(f.PodAddress) && e.Reply.SourcePort == f.ContainerPort)));
        }
    }

    private static int Delete(Conntrack conntrack, PortForward forward, Func<ConntrackEntry, bool> stale) =>
        conntrack.List(forward.Family, (byte)MappingProtocol.Udp, forward.HostPort).Where(stale).Count(conntrack.Delete);

    private static void Clear(CniLog log, Func<Conntrack, int> clear)
    {
        try
        {
            using var conntrack = Conntrack.Open();
            var deleted = clear(conntrack);
            if (deleted > 0)
            {
                log.Info($"removed {deleted} stale UDP conntrack entr{(deleted == 1 ? "y" : "ies")} of the mapped ports");
            }
        }
        catch (Sluice.Linux.LinuxException error)
        {
            log.Warn($"could not remove stale UDP conntrack entries: {error.Message}");
        }
    }
}
