using System.Net;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Network;

/// <summary>
/// One of this node's InternalIPs and the link in the agent's network namespace (the node's)
/// that holds it, with that link's MTU; <see cref="LinkName"/> is null when no link other than
/// loopback holds it.
/// </summary>
public sealed record UnderlayLink(IPAddress InternalIp, string? LinkName, int Mtu)
{
    /// <summary>The links that hold <paramref name="internalIps"/>, read from the calling thread's namespace (<c>ip addr show</c>, <c>ip link show</c>).</summary>
    public static IReadOnlyList<UnderlayLink> Read(IReadOnlyList<IPAddress> internalIps)
    {
        using var rtnl = Rtnl.Open();
        return Match(internalIps, rtnl.ListAddresses(), rtnl.ListLinks());
    }

    /// <summary>
    /// The subnets of the links that hold <paramref name="internalIps"/> (link-local ones left out):
    /// a node whose InternalIP is in one of them is on this node's link.
    /// </summary>
    public static IReadOnlyList<IPNetwork> Subnets(IReadOnlyList<IPAddress> internalIps)
    {
        ArgumentNullException.ThrowIfNull(internalIps);
        using var rtnl = Rtnl.Open();
        var addresses = rtnl.ListAddresses();
        var links = addresses.Where(a => internalIps.Contains(a.Address)).Select(a => a.Index).ToHashSet();
        return [.. addresses
            .Where(a => links.Contains(a.Index) && !a.Address.IsIPv6LinkLocal && a.Scope == Scope.Universe)
            .Select(a => new IPNetwork(Sluice.Net.Cidr.Masked(a.Address, a.PrefixLength), a.PrefixLength))
            .Distinct()];
    }

    /// <summary>
    /// Each InternalIP with the link that holds it. Loopback does not count: an address there says
    /// nothing of the path a pod's packet takes to another node.
    /// </summary>
    public static IReadOnlyList<UnderlayLink> Match(IReadOnlyList<IPAddress> internalIps, IReadOnlyList<AddressInfo> addresses, IReadOnlyList<Link> links)
    {
        ArgumentNullException.ThrowIfNull(internalIps);
        ArgumentNullException.ThrowIfNull(addresses);
        ArgumentNullException.ThrowIfNull(links);
        // A link dump the kernel interrupted (links come and go as pods start) is read again, so
        // one index can be listed twice: the first is kept.
        var byIndex = links.Where(l => !l.Flags.HasFlag(LinkFlags.Loopback)).GroupBy(l => l.Index).ToDictionary(g => g.Key, g => g.First());
        return internalIps.Select(ip =>
            addresses.Where(a => a.Address.Equals(ip) && byIndex.ContainsKey(a.Index)).Select(a => byIndex[a.Index]).FirstOrDefault() is { } link
                ? new UnderlayLink(ip, link.Name, link.Mtu)
                : new UnderlayLink(ip, null, 0)).ToList();
    }
}
