using System.Net;

namespace Sluice.Agent.Network;

/// <summary>
/// How the VXLAN backend plans routes: its tunnel's <see cref="Options"/>, and with
/// <see cref="DirectRouting"/>, the subnets of this node's underlay links (<see cref="LocalSubnets"/>):
/// a node whose InternalIP is on one of them is reached by a direct route, as host-gw would,
/// without the tunnel's overhead.
/// </summary>
public sealed record VxlanRouting(VxlanOptions Options, bool DirectRouting, IReadOnlyList<IPNetwork> LocalSubnets)
{
    public bool IsDirect(IPAddress internalIp) =>
        DirectRouting && LocalSubnets.Any(s => s.BaseAddress.AddressFamily == internalIp.AddressFamily && s.Contains(internalIp));
}
