using System.Net.Sockets;

namespace Sluice.Linux.Iptables;

/// <summary>
/// What one iptables-legacy table holds, as iptables-save would print it: rules, user chains, and
/// built-in chains whose policy is not ACCEPT. A table that is merely registered (something once
/// listed it) holds nothing.
/// </summary>
public sealed record LegacyTable(AddressFamily Family, string Name, int Rules, IReadOnlyList<string> UserChains, IReadOnlyList<string> DropPolicies)
{
    /// <summary>Rules, user chains and non-ACCEPT policies together: zero for an empty table.</summary>
    public int Content => Rules + UserChains.Count + DropPolicies.Count;

    public override string ToString() =>
        $"{(Family == AddressFamily.InterNetworkV6 ? "ip6" : "ip")} {Name}: {Rules} rules, {UserChains.Count} chains" +
        (DropPolicies.Count > 0 ? $", policy DROP on {string.Join(", ", DropPolicies)}" : "");
}
