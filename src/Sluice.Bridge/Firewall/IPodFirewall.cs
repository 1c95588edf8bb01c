namespace Sluice.Bridge.Firewall;

/// <summary>The node-side rules of a bridge network, in one firewall backend.</summary>
internal interface IPodFirewall : IDisposable
{
    /// <summary>"nftables", "iptables-nft", "iptables-legacy": for logs and errors.</summary>
    string Name { get; }

    /// <summary>Makes the network's rules what the plan says (idempotent) and adds the pod's entries.</summary>
    void Add(FirewallPlan plan, PodEntry pod);

    /// <summary>Removes every entry of the network whose attachment <paramref name="remove"/> selects; returns how many.</summary>
    int Remove(string network, Func<(string ContainerId, string IfName), bool> remove);

    /// <summary>Describes what is missing for the pod, or null when everything is in place.</summary>
    string? Verify(FirewallPlan plan, PodEntry pod);
}
