using System.Net;
using System.Net.Sockets;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// What one network needs from the node's firewall: FORWARD accepting its pod network (when the
/// node is the pods' gateway) and masquerade of pod traffic leaving it (never of multicast).
/// </summary>
internal sealed record FirewallPlan(string Network, IReadOnlyList<IPNetwork> Cidrs, bool Forward, bool Masquerade)
{
    public string Id => AttachmentNames.NetworkId(Network);

    public bool IsEmpty => !Forward && !Masquerade;

    public IEnumerable<IPNetwork> CidrsOf(AddressFamily family) => Cidrs.Where(c => c.BaseAddress.AddressFamily == family);

    public static IPNetwork Multicast(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? IPNetwork.Parse("224.0.0.0/4") : IPNetwork.Parse("ff00::/8");
}

/// <summary>One attachment's part: its tag and addresses (masqueraded when the plan says so).</summary>
internal sealed record PodEntry(string Tag, IReadOnlyList<IPAddress> Addresses)
{
    public IEnumerable<IPAddress> AddressesOf(AddressFamily family) => Addresses.Where(a => a.AddressFamily == family);
}
