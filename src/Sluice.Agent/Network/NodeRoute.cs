using System.Net;

namespace Sluice.Agent.Network;

/// <summary>
/// One route the agent keeps: another node's pod CIDR via that node's InternalIP (host-gw, or a
/// node on this node's subnet with direct routing), or, with <see cref="Overlay"/>, via the node's
/// VTEP address on the VXLAN device.
/// </summary>
public sealed record NodeRoute(IPNetwork Destination, IPAddress Via, string Node)
{
    /// <summary>The VXLAN hop; null for a direct route.</summary>
    public OverlayHop? Overlay { get; init; }

    public override string ToString() => Overlay is { } hop
        ? $"{Destination} via {Via} dev {hop.Device} onlink (node {Node}, VXLAN to {hop.Underlay})"
        : $"{Destination} via {Via} (node {Node})";
}

/// <summary>
/// How a route over VXLAN reaches its node: out of <see cref="Device"/> to the node's VTEP MAC
/// (a permanent neighbour entry for the route's next hop), which the device's forwarding entry
/// sends in UDP to the node's InternalIP <see cref="Underlay"/>.
/// </summary>
public sealed record OverlayHop(string Device, System.Net.NetworkInformation.PhysicalAddress Mac, IPAddress Underlay);
