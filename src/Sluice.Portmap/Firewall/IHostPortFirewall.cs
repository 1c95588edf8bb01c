namespace Sluice.Portmap.Firewall;

/// <summary>Sluice's hostPort rules in one firewall backend.</summary>
internal interface IHostPortFirewall : IDisposable
{
    /// <summary>"nftables", "iptables-nft", "iptables-legacy": for logs and errors.</summary>
    string Name { get; }

    /// <summary>Every forward the backend holds, of every attachment (read from the rules' tags).</summary>
    IReadOnlyList<PortForward> Forwards();

    /// <summary>Makes the owner's rules exactly the plan's (and the chains that lead to them), in one change; true when something changed.</summary>
    bool Apply(ForwardPlan plan);

    /// <summary>Removes every rule of the owners <paramref name="remove"/> selects, in one change; returns their forwards.</summary>
    IReadOnlyList<PortForward> Remove(Func<MappingOwner, bool> remove);

    /// <summary>How the owner's rules differ from the plan (missing, changed, extra); empty when they match.</summary>
    IReadOnlyList<string> Verify(ForwardPlan plan);
}
