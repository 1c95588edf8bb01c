using Sluice.Linux.Iptables;

namespace Sluice.Firewall;

/// <summary>Where a node's rules live: native nftables, or iptables over nf_tables, or legacy iptables.</summary>
public enum FirewallKind
{
    Nftables,
    IptablesNft,
    IptablesLegacy,
}

/// <summary>The backend chosen for this node and why (for logs and errors).</summary>
public sealed record FirewallChoice(FirewallKind Kind, string Reason)
{
    public string Name => NameOf(Kind);

    /// <summary>The iptables variant for the iptables kinds (nft for native nftables, which never runs iptables).</summary>
    public IptablesVariant Variant => Kind == FirewallKind.IptablesLegacy ? IptablesVariant.Legacy : IptablesVariant.Nft;

    public static string NameOf(FirewallKind kind) => kind switch
    {
        FirewallKind.Nftables => "nftables",
        FirewallKind.IptablesNft => "iptables-nft",
        _ => "iptables-legacy",
    };

    public static FirewallKind KindOf(IptablesVariant variant) =>
        variant == IptablesVariant.Legacy ? FirewallKind.IptablesLegacy : FirewallKind.IptablesNft;
}
