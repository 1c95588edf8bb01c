using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;

namespace Sluice.Linux.Iptables;

/// <summary>
/// Picks legacy or nft the way operators expect: a forced choice wins; otherwise the variant that
/// already holds rules in the namespace (mixing them splits the rules across two engines);
/// otherwise nft. Both checks read kernel state directly, without running iptables.
/// </summary>
public static class IptablesDetector
{
    private static readonly string[] IptablesTableNames = ["filter", "nat", "mangle", "raw", "security"];

    public static IptablesChoice Detect(NetNs? ns = null, IptablesVariant? forced = null, string? forcedBy = null)
    {
        if (forced is { } variant)
        {
            return new IptablesChoice(variant, $"forced by {forcedBy ?? "configuration"}");
        }

        var legacyTables = ns is null ? LegacyTables() : ns.Run(LegacyTables);
        if (legacyTables.Count > 0)
        {
            return new IptablesChoice(IptablesVariant.Legacy, $"iptables-legacy already holds rules (tables {string.Join(", ", legacyTables)})", HoldsRules: true);
        }

        using var nft = ns is null ? Nftables.Nftables.Open() : Nftables.Nftables.OpenIn(ns);
        var nftTables = nft.ListTables()
            .Where(t => t.Family is NftFamily.Ip or NftFamily.Ip6 && IptablesTableNames.Contains(t.Name))
            .Select(t => $"{NftBatch.Name(t.Family)} {t.Name}")
            .ToList();
        return nftTables.Count > 0
            ? new IptablesChoice(IptablesVariant.Nft, $"iptables-nft already holds rules (tables {string.Join(", ", nftTables)})", HoldsRules: true)
            : new IptablesChoice(IptablesVariant.Nft, "no iptables rules yet; nft is the default");
    }

    /// <summary>Parses a variant name as flags and environment variables give it (legacy, nft).</summary>
    public static IptablesVariant? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LEGACY" => IptablesVariant.Legacy,
        "NFT" or "NF_TABLES" => IptablesVariant.Nft,
        _ => null,
    };

    /// <summary>Legacy tables registered in the calling thread's namespace (/proc/thread-self/net is per namespace).</summary>
    private static List<string> LegacyTables()
    {
        var tables = new List<string>();
        foreach (var file in new[] { "/proc/thread-self/net/ip_tables_names", "/proc/thread-self/net/ip6_tables_names" })
        {
            tables.AddRange(Files.ProcFiles.ReadLinesOrNull(file) ?? []);
        }

        return tables.Distinct(StringComparer.Ordinal).ToList();
    }
}
