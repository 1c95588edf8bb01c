using Sluice.Cni.Plugin;
using Sluice.Firewall;
using Sluice.Portmap.Firewall;

namespace Sluice.Portmap;

/// <summary>
/// Removal shared by DEL and GC: under the node's firewall lock, in every backend holding the rules,
/// past errors, reported together; then the removed forwards' stale UDP conntrack entries.
/// </summary>
internal static class PortmapRemoval
{
    public static List<PortForward> Remove(CniRequest<PortmapSettings> request, Func<MappingOwner, bool> which, string what)
    {
        var removed = new List<PortForward>();
        var errors = new ErrorList(request.Log);
        if (NodeFirewall.Holding([FirewallComponent.Portmap]).Count == 0)
        {
            return removed;
        }

        List<IHostPortFirewall> firewalls = [];
        try
        {
            using (NodeFirewall.Lock())
            {
                firewalls = HostPortFirewalls.Holding();
                foreach (var firewall in firewalls)
                {
                    errors.Run($"{what} ({firewall.Name})", () => removed.AddRange(firewall.Remove(which)));
                }
            }

            errors.ThrowIfAny(PortmapPlugin.Translate);

            // Before the firewalls' sockets close: the kernel frees deleted nftables rules after an
            // RCU grace period, and closing a netfilter socket waits for that; the conntrack walk
            // runs while the grace period passes instead of after it.
            StaleConnections.AfterRemoval(removed, request.Log);
        }
        finally
        {
            firewalls.ForEach(f => f.Dispose());
        }

        return removed;
    }
}
