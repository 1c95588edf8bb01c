using Sluice.Linux.Nftables;

namespace Sluice.Linux.Iptables;

/// <summary>
/// What iptables-nft holds: the nf_tables tables of the ip and ip6 families named like iptables'
/// tables, counted the way iptables-save would print them (rules, user chains, built-in chains
/// whose policy is DROP). Tables iptables-nft created but left empty hold nothing.
/// </summary>
internal static class IptablesNftContent
{
    private static readonly string[] TableNames = ["filter", "nat", "mangle", "raw", "security"];

    public static List<NftTableInfo> Tables(Nftables.Nftables nft) =>
        (nft.TryListTables(out var tables) ? tables : [])
            .Where(t => t.Family is NftFamily.Ip or NftFamily.Ip6 && TableNames.Contains(t.Name))
            .ToList();

    /// <summary>Whether the table holds anything; rules are listed only when its chains say nothing.</summary>
    public static bool Holds(Nftables.Nftables nft, NftTableInfo table) =>
        ChainContent(nft, table) > 0 || nft.ListRules(table.Family, table.Name).Count > 0;

    /// <summary>Rules, user chains and DROP policies of every table together.</summary>
    public static int Count(Nftables.Nftables nft, IEnumerable<NftTableInfo> tables) =>
        tables.Sum(t => ChainContent(nft, t) + nft.ListRules(t.Family, t.Name).Count);

    private static int ChainContent(Nftables.Nftables nft, NftTableInfo table) =>
        nft.ListChains(table.Family, table.Name).Count(c => c.Hook is null || c.PolicyAccept == false);
}
