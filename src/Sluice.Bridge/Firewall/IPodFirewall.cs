namespace Sluice.Bridge.Firewall;

/// <summary>The node-side rules of bridge networks, in one firewall backend.</summary>
internal interface IPodFirewall : IDisposable
{
    /// <summary>"nftables", "iptables-nft", "iptables-legacy": for logs and errors.</summary>
    string Name { get; }

    /// <summary>Brings the network's rules to what the plan says, changing only what differs; true when it changed something.</summary>
    bool Ensure(FirewallPlan plan);

    /// <summary>Describes what is missing for the plan, or null when everything is in place.</summary>
    string? Verify(FirewallPlan plan);

    /// <summary>Whether this backend holds rules of <paramref name="network"/>.</summary>
    bool Holds(string network);
}
