using Sluice.Cni.Logging;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// Chooses the firewall backend. <c>auto</c>: the backend that already holds Sluice's rules on
/// this node (so later tools, such as portmap creating iptables tables, do not split a node
/// across backends); on a fresh node, iptables when the node's firewall already is iptables
/// (legacy or nft tables holding rules: a FORWARD DROP there would override an nftables accept),
/// else native nftables when the kernel has it, else iptables-nft. CHECK looks in every backend
/// that may hold the network's rules.
/// </summary>
internal static class FirewallSelector
{
    private static readonly NftFamily[] IptablesFamilies = [NftFamily.Ip, NftFamily.Ip6];
    private static readonly string[] LegacyTableFiles = ["/proc/thread-self/net/ip_tables_names", "/proc/thread-self/net/ip6_tables_names"];

    public static IPodFirewall For(FirewallBackend backend, CniLog log)
    {
        switch (backend)
        {
            case FirewallBackend.Nftables:
                return new NftPodFirewall(Nftables.Open());
            case FirewallBackend.Iptables:
                return new IptablesPodFirewall(new Iptables(IptablesDetector.Detect().Variant));
        }

        var holding = Holding();
        if (holding.Count > 0)
        {
            foreach (var other in holding.Skip(1))
            {
                other.Dispose();
            }

            log.Debug($"firewall backend: {holding[0].Name} (already holds Sluice's rules)");
            return holding[0];
        }

        var choice = IptablesDetector.Detect();
        if (choice.HoldsRules)
        {
            log.Debug($"firewall backend: iptables-{choice.Name} ({choice.Reason})");
            return new IptablesPodFirewall(new Iptables(choice.Variant));
        }

        var nft = Nftables.Open();
        if (nft.IsSupported())
        {
            return new NftPodFirewall(nft);
        }

        nft.Dispose();
        return new IptablesPodFirewall(new Iptables(IptablesVariant.Nft));
    }

    /// <summary>Every backend that holds Sluice's bridge rules on this node (the caller disposes them); read without running iptables.</summary>
    public static List<IPodFirewall> Holding()
    {
        var found = new List<IPodFirewall>();
        var nft = Nftables.Open();
        var tables = nft.IsSupported() ? nft.ListTables() : [];
        bool HasChain(NftFamily family, string table, string chain) =>
            tables.Any(t => t.Family == family && t.Name == table) && nft.ListChains(family, table).Any(c => c.Name == chain);
        var iptablesNft = IptablesFamilies.Any(f => HasChain(f, "nat", IptablesPodFirewall.PostroutingChain) || HasChain(f, "filter", IptablesPodFirewall.ForwardChain));
        if (tables.Any(t => t.Family == NftFamily.Inet && t.Name == NftPodFirewall.Table))
        {
            found.Add(new NftPodFirewall(nft));
        }
        else
        {
            nft.Dispose();
        }

        if (iptablesNft)
        {
            found.Add(new IptablesPodFirewall(new Iptables(IptablesVariant.Nft)));
        }

        // Legacy tables cannot be read without running iptables-save; any legacy table counts.
        if (LegacyTableFiles.Any(file => File.Exists(file) && File.ReadAllLines(file).Length > 0))
        {
            found.Add(new IptablesPodFirewall(new Iptables(IptablesVariant.Legacy)));
        }

        return found;
    }
}
