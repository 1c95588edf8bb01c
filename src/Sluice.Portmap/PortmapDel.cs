using Sluice.Cni.Plugin;
using Sluice.Firewall;
using Sluice.Portmap.Firewall;

namespace Sluice.Portmap;

/// <summary>
/// DEL: removes every rule tagged for this attachment, from every backend that holds sluice-portmap's
/// rules, whatever runtimeConfig says: the tags carry all it needs, so it works without the netns,
/// without prevResult, twice, or after an ADD that never happened. The UDP conntrack entries
/// translated to the removed forwards go too (in <see cref="PortmapRemoval"/>), so a new pod on the
/// port gets the traffic.
/// </summary>
internal sealed class PortmapDel(CniRequest<PortmapSettings> request)
{
    public void Run()
    {
        var owner = request.Settings.Owner;
        var removed = PortmapRemoval.Remove(request, o => o == owner, $"removing the mappings of {owner}");
        if (removed.Count > 0)
        {
            request.Log.Info($"removed {string.Join(", ", removed.Select(f => f.Describe()))}");
        }
    }
}

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
