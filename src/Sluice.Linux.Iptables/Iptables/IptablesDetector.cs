using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;

namespace Sluice.Linux.Iptables;

/// <summary>
/// Picks legacy or nft the way kube-proxy's iptables wrapper and istio-iptables do, from the rules
/// each variant actually holds in the namespace: a forced choice wins; otherwise iptables-legacy
/// when it holds rules and at least as many as iptables-nft (mixing them splits the rules across
/// two engines); otherwise nft. A legacy table that is merely registered (something once listed
/// it) holds nothing and does not count. Both sides are read from the kernel, without running iptables.
/// </summary>
public static class IptablesDetector
{
    public static IptablesChoice Detect(NetNs? ns = null, IptablesVariant? forced = null, string? forcedBy = null)
    {
        if (forced is { } variant)
        {
            return new IptablesChoice(variant, $"forced by {forcedBy ?? "configuration"}");
        }

        return ns is null ? DetectHere() : ns.Run(DetectHere);
    }

    /// <summary>Parses a variant name as flags and environment variables give it (legacy, nft).</summary>
    public static IptablesVariant? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "LEGACY" => IptablesVariant.Legacy,
        "NFT" or "NF_TABLES" => IptablesVariant.Nft,
        _ => null,
    };

    /// <summary>The decision in the calling thread's namespace.</summary>
    private static IptablesChoice DetectHere()
    {
        var legacy = LegacyTables.ReadAll().Where(t => t.Content > 0).ToList();
        using var nft = Nftables.Nftables.Open();
        var nftTables = IptablesNftContent.Tables(nft);
        if (legacy.Count > 0)
        {
            var legacyContent = legacy.Sum(t => t.Content);
            var nftContent = IptablesNftContent.Count(nft, nftTables);
            if (legacyContent >= nftContent)
            {
                return new IptablesChoice(
                    IptablesVariant.Legacy,
                    $"iptables-legacy already holds rules (tables {string.Join(", ", legacy.Select(t => t.Name).Distinct())}; {legacyContent} rules and chains against {nftContent} in iptables-nft)",
                    HoldsRules: true);
            }
        }

        var holding = new List<string>();
        foreach (var table in nftTables)
        {
            if (IptablesNftContent.Holds(nft, table))
            {
                holding.Add($"{NftBatch.Name(table.Family)} {table.Name}");
            }
        }

        return holding.Count > 0
            ? new IptablesChoice(IptablesVariant.Nft, $"iptables-nft already holds rules (tables {string.Join(", ", holding)})", HoldsRules: true)
            : new IptablesChoice(IptablesVariant.Nft, "no iptables rules yet; nft is the default");
    }
}
