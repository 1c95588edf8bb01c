using Sluice.Cni.Logging;
using Sluice.Firewall;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// The bridge's rules in the backend the node's firewall decision (<see cref="NodeFirewall"/>,
/// shared with sluice-portmap and the agent) picks; CHECK looks in every backend that holds them.
/// </summary>
internal static class FirewallSelector
{
    public static IPodFirewall For(FirewallBackend backend, CniLog log)
    {
        var choice = NodeFirewall.Choose(backend);
        log.Debug($"firewall backend: {choice.Name} ({choice.Reason})");
        return Open(choice.Kind);
    }

    /// <summary>Every backend that holds Sluice's bridge rules on this node (the caller disposes them).</summary>
    public static List<IPodFirewall> Holding() =>
        NodeFirewall.Holding([FirewallComponent.Bridge]).Select(Open).ToList();

    private static IPodFirewall Open(FirewallKind kind) => kind switch
    {
        FirewallKind.Nftables => new NftPodFirewall(Nftables.Open()),
        FirewallKind.IptablesLegacy => new IptablesPodFirewall(new Iptables(IptablesVariant.Legacy)),
        _ => new IptablesPodFirewall(new Iptables(IptablesVariant.Nft)),
    };
}
