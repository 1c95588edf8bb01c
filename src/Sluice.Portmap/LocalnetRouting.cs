using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Rtnetlink;
using Sluice.Linux.Sysctl;

namespace Sluice.Portmap;

/// <summary>
/// A connection from the node to 127.0.0.1:HOSTPORT is DNATed to the pod but keeps its loopback
/// source until the masquerade in postrouting, and the kernel drops a packet with a 127/8 source
/// routed out of a non-loopback interface unless that interface has <c>route_localnet</c>. So it
/// is set on the interface the pod's IPv4 address is routed through (the bridge), as the
/// reference plugin does. IPv6 has no such switch: ::1 cannot be forwarded to a pod.
/// </summary>
internal static class LocalnetRouting
{
    /// <summary>Sets route_localnet where it is off: read through netlink (a /proc/sys lookup costs more as pods are added), written through /proc/sys the one time it is off.</summary>
    public static void Enable(IEnumerable<IPAddress> podAddresses)
    {
        foreach (var key in Missing(podAddresses))
        {
            Sysctl.Write(key, "1");
        }
    }

    /// <summary>The route_localnet keys of the interfaces towards the pod where it is off.</summary>
    public static IReadOnlyList<string> Missing(IEnumerable<IPAddress> podAddresses)
    {
        using var rtnl = Rtnl.Open();
        var interfaces = new HashSet<int>();
        var missing = new List<string>();
        foreach (var address in podAddresses)
        {
            if (address.AddressFamily != AddressFamily.InterNetwork || rtnl.GetRoute(address)?.OutputIndex is not ({ } index and > 0) || !interfaces.Add(index))
            {
                continue;
            }

            if (rtnl.GetIpv4DeviceSetting(index, Rtnl.Ipv4DeviceSetting.RouteLocalnet) != 1)
            {
                missing.Add($"net/ipv4/conf/{rtnl.GetLink(index).Name}/route_localnet");
            }
        }

        return missing;
    }
}
