using System.Net.Sockets;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Network;

/// <summary>
/// Keeps this node's routes to other nodes' pods in the main table. Every route the agent writes
/// carries <see cref="Protocol"/>, so it finds its own routes again (after a restart too) and never
/// touches anyone else's: routes of its protocol that the plan no longer has are deleted, the
/// plan's routes are replaced when they differ (<c>ip route replace CIDR via IP proto 83</c>).
/// </summary>
public sealed class NodeRouteTable
{
    /// <summary>Sluice's route protocol number (RTPROT_*; values above 4 belong to routing daemons, 83 is unassigned).</summary>
    public const byte Protocol = 83;

    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <summary>
    /// Brings the table to the plan; returns what changed and the routes the kernel refused (each
    /// naming the node). Routes over VXLAN leave by the device of that name in <paramref name="devices"/>;
    /// one whose device is not in place is not written.
    /// </summary>
    public static RouteChanges Reconcile(RoutePlan plan, IReadOnlyDictionary<string, int>? devices = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        devices ??= new Dictionary<string, int>();
        using var rtnl = Rtnl.Open();
        var ours = Families.SelectMany(f => rtnl.ListRoutes(f)).Where(r => r.Protocol == Protocol).ToList();

        // Matched by key, not pairwise: at 5,000 nodes both sides hold about 10,000 routes.
        var wanted = plan.Routes.Select(r => (r.Destination, r.Via)).ToHashSet();
        var present = ours.Where(r => r.Table == Route.Tables.Main && r.Destination is not null && r.Gateway is not null)
            .Select(r => (r.Destination!.Value, r.Gateway!)).ToHashSet();
        var failed = new List<string>();

        // Sent in batches (Rtnl.RoutesPerDatagram to a datagram): at 5,000 nodes there are 10,000.
        var stale = ours.Where(r => !(r.Table == Route.Tables.Main && r.Destination is { } d && r.Gateway is { } g && wanted.Contains((d, g)))).ToList();
        var notRemoved = new HashSet<Route>(ReferenceEqualityComparer.Instance);
        foreach (var (route, error) in rtnl.DeleteRoutes(stale))
        {
            notRemoved.Add(route);
            if (!error.Is(Errno.ESRCH))
            {
                failed.Add($"removing route {route}: {error.Message}");
            }
        }

        var removed = stale.Where(r => !notRemoved.Contains(r)).Select(r => r.ToString()).ToList();
        var missing = plan.Routes.Where(p => !present.Contains((p.Destination, p.Via))).ToList();
        var byKernel = new Dictionary<Route, NodeRoute>(ReferenceEqualityComparer.Instance);
        var notAdded = new HashSet<NodeRoute>(ReferenceEqualityComparer.Instance);
        foreach (var route in missing)
        {
            if (route.Overlay is { } hop && !devices.ContainsKey(hop.Device))
            {
                notAdded.Add(route);
                failed.Add($"route to {route}: the VXLAN device {hop.Device} is not in place");
                continue;
            }

            byKernel[ToKernel(route, devices)] = route;
        }

        foreach (var (route, error) in rtnl.ReplaceRoutes([.. byKernel.Keys]))
        {
            var wantedRoute = byKernel[route];
            notAdded.Add(wantedRoute);
            failed.Add(error.Is(Errno.ENETUNREACH)
                ? $"route to {wantedRoute}: the InternalIP is not on a directly connected network of this node (the host-gw backend needs every node on one link; BACKEND=vxlan reaches nodes on other subnets)"
                : $"route to {wantedRoute}: {error.Message}");
        }

        var added = missing.Where(r => !notAdded.Contains(r)).ToList();
        var refused = notAdded.Count;

        return new RouteChanges(added, removed, failed, plan.Routes.Count - refused);
    }

    /// <summary>Removes every route of <see cref="Protocol"/> (uninstall); returns how many.</summary>
    public static int RemoveAll() => Reconcile(new RoutePlan([], [])).Removed.Count;

    private static Route ToKernel(NodeRoute route, IReadOnlyDictionary<string, int> devices) => new()
    {
        Family = route.Destination.BaseAddress.AddressFamily,
        Destination = route.Destination,
        Gateway = route.Via,
        Protocol = Protocol,
        OutputIndex = route.Overlay is { } hop ? devices[hop.Device] : 0,
        OnLink = route.Overlay is not null,
    };
}
