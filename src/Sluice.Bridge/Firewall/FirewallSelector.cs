using Sluice.Cni.Logging;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// Chooses the firewall backend. <c>auto</c>: the backend that already holds Sluice's rules on
/// this node (so later tools, such as portmap creating iptables tables, do not split a network
/// across backends); on a fresh node, iptables when the node's firewall already is iptables
/// (legacy or nft tables holding rules: a FORWARD DROP there would override an nftables accept),
/// else native nftables when the kernel has it, else iptables-nft. Cleanup and CHECK look in
/// every backend that may hold the network's entries, so a node that changed backend leaks nothing.
/// </summary>
internal static class FirewallSelector
{
    public static IPodFirewall ForAdd(FirewallBackend backend, CniLog log)
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

    /// <summary>Every backend that may hold entries of a bridge network on this node (the caller disposes them).</summary>
    public static List<IPodFirewall> Holding()
    {
        var found = new List<IPodFirewall>();
        var nft = Nftables.Open();
        var tables = nft.IsSupported() ? nft.ListTables() : [];
        var iptablesNft = tables.Any(t => t.Family is NftFamily.Ip or NftFamily.Ip6 && t.Name == "nat") &&
            IptablesFamilies.Any(f => nft.ListChains(f, "nat").Any(c => c.Name == IptablesPodFirewall.PostroutingChain));
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

        if (LegacyNatLoaded())
        {
            found.Add(new IptablesPodFirewall(new Iptables(IptablesVariant.Legacy)));
        }

        return found;
    }

    private static readonly NftFamily[] IptablesFamilies = [NftFamily.Ip, NftFamily.Ip6];

    private static readonly string[] LegacyTableFiles = ["/proc/thread-self/net/ip_tables_names", "/proc/thread-self/net/ip6_tables_names"];

    private static bool LegacyNatLoaded() => LegacyTableFiles.Any(file => File.Exists(file) && File.ReadAllLines(file).Contains("nat"));
}
