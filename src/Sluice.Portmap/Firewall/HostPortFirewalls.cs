using Sluice.Cni.Logging;
using Sluice.Firewall;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Portmap.Firewall;

/// <summary>
/// The hostPort rules in the backend the node's firewall decision (<see cref="NodeFirewall"/>,
/// the same one sluice-bridge takes) picks, and every backend already holding them.
/// </summary>
internal static class HostPortFirewalls
{
    public static IHostPortFirewall Chosen(PortmapSettings settings, CniLog log, FirewallSurvey? survey = null)
    {
        var choice = NodeFirewall.Choose(settings.Backend, survey);
        log.Debug($"firewall backend: {choice.Name} ({choice.Reason})");
        return Open(choice.Kind);
    }

    /// <summary>The backends holding sluice-portmap's rules (by <paramref name="survey"/> when given), optionally leaving one out (the caller disposes them).</summary>
    public static List<IHostPortFirewall> Holding(string? except = null, FirewallSurvey? survey = null)
    {
        var holding = new List<IHostPortFirewall>();
        foreach (var kind in (survey ?? FirewallSurvey.Take([FirewallComponent.Portmap])).Holding([FirewallComponent.Portmap]))
        {
            if (FirewallChoice.NameOf(kind) != except)
            {
                holding.Add(Open(kind));
            }
        }

        return holding;
    }

    private static IHostPortFirewall Open(FirewallKind kind) => kind switch
    {
        FirewallKind.Nftables => new NftHostPorts(Nftables.Open()),
        FirewallKind.IptablesLegacy => new IptablesHostPorts(new Iptables(IptablesVariant.Legacy)),
        _ => new IptablesHostPorts(new Iptables(IptablesVariant.Nft)),
    };
}
