using System.Net;
using System.Net.Sockets;

namespace Sluice.Agent.Network;

/// <summary>
/// The bytes a pod network backend adds to every packet between nodes, by the family of the
/// underlay (the InternalIP it sends from), which the pods' MTU must leave room for.
/// </summary>
public sealed record TunnelOverhead(string Backend, int IPv4, int IPv6)
{
    /// <summary>host-gw: pods' packets are routed as they are, nothing is added.</summary>
    public static readonly TunnelOverhead HostGw = new("host-gw", 0, 0);

    /// <summary>VXLAN: outer IP header (20 or 40), UDP (8), VXLAN (8) and the inner Ethernet header (14).</summary>
    public static readonly TunnelOverhead Vxlan = new("VXLAN", 50, 70);

    public int For(IPAddress underlay)
    {
        ArgumentNullException.ThrowIfNull(underlay);
        return underlay.AddressFamily == AddressFamily.InterNetworkV6 ? IPv6 : IPv4;
    }
}
