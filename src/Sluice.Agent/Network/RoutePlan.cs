namespace Sluice.Agent.Network;

/// <summary>
/// The routes this node needs to every other node's pods, as flannel's host-gw backend keeps
/// them: each pod CIDR via the InternalIP of the same family. A CIDR with no InternalIP of its
/// family gets no route, and says so; so does a CIDR that two nodes claim (neither is routed:
/// sending one node's pods to the other would be worse than no route), and so does a CIDR that
/// overlaps this node's own (a gateway route there would take over the bridge's). With
/// <paramref name="vxlan"/> (the VXLAN backend) the route goes via the node's VTEP address (its pod
/// CIDR's first address) on the VXLAN device instead, as flannel's vxlan backend routes, except
/// for nodes on one of this node's subnets when direct routing is on.
/// </summary>
public sealed record RoutePlan(IReadOnlyList<NodeRoute> Routes, IReadOnlyList<string> Skipped)
{
    public static RoutePlan For(string self, IEnumerable<NodeAddressing> nodes, VxlanRouting? vxlan = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var routes = new List<NodeRoute>();
        var skipped = new List<string>();
        var own = nodes.Where(n => n.Name == self).SelectMany(n => n.PodCidrs).ToList();
        var ownUnderlay = nodes.Where(n => n.Name == self).SelectMany(n => n.InternalIps).ToList();
        foreach (var node in nodes.Where(n => n.Name != self).OrderBy(n => n.Name, StringComparer.Ordinal))
        {
            skipped.AddRange(node.Problems);
            foreach (var cidr in node.PodCidrs)
            {
                var family = cidr.BaseAddress.AddressFamily;
                if (own.Where(m => Overlap(m, cidr)).Select(m => (System.Net.IPNetwork?)m).FirstOrDefault() is { } mine)
                {
                    skipped.Add($"node {node.Name}: its pod CIDR {cidr} overlaps this node's {mine}; not routed");
                }
                else if (node.InternalIps.FirstOrDefault(ip => ip.AddressFamily == family) is { } via)
                {
                    if (vxlan is null || vxlan.IsDirect(via))
                    {
                        routes.Add(new NodeRoute(cidr, via, node.Name));
                    }
                    else if (!ownUnderlay.Any(ip => ip.AddressFamily == family))
                    {
                        skipped.Add($"node {node.Name}: this node has no {FamilyName(family)} InternalIP to send VXLAN from, so no route to its pods in {cidr}");
                    }
                    else
                    {
                        routes.Add(new NodeRoute(cidr, cidr.BaseAddress, node.Name) { Overlay = new OverlayHop(vxlan.Options.DeviceFor(family), VtepMac.For(node.Name, family), via) });
                    }
                }
                else
                {
                    skipped.Add($"node {node.Name}: no {FamilyName(family)} InternalIP, so no route to its pods in {cidr}");
                }
            }
        }

        foreach (var clash in routes.GroupBy(r => r.Destination).Where(g => g.Count() > 1).ToList())
        {
            skipped.Add($"nodes {string.Join(" and ", clash.Select(r => r.Node))} both claim {clash.Key}: no route to it until one lets go");
            routes.RemoveAll(r => r.Destination == clash.Key);
        }

        // Derived VTEP MACs of two nodes could collide (about 10^-7 at 5,000 nodes): their frames would mix, so neither is sent any.
        foreach (var clash in routes.Where(r => r.Overlay is not null).GroupBy(r => (r.Overlay!.Device, r.Overlay.Mac)).Where(g => g.Select(r => r.Node).Distinct().Count() > 1).ToList())
        {
            skipped.Add($"nodes {string.Join(" and ", clash.Select(r => r.Node).Distinct())} have the same VTEP MAC {clash.Key.Mac} on {clash.Key.Device}: no VXLAN route to either until one is renamed");
            routes.RemoveAll(r => clash.Contains(r));
        }

        return new RoutePlan(routes, skipped);
    }

    private static string FamilyName(System.Net.Sockets.AddressFamily family) => family == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    private static bool Overlap(System.Net.IPNetwork a, System.Net.IPNetwork b) =>
        a.BaseAddress.AddressFamily == b.BaseAddress.AddressFamily && (a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress));
}
