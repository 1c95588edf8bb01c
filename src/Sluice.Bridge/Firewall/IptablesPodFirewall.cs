using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Firewall;
using Sluice.Linux.Iptables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// The same rules with iptables, for nodes whose firewall is iptables (legacy or nft). Sluice's
/// chains: nat <c>SLUICE-POSTROUTING</c> (jumped to from POSTROUTING) sends each pod subnet of a
/// network to <c>SLUICE-MASQ-ID</c> (returns for the cluster CIDRs and multicast, else
/// MASQUERADE); filter <c>SLUICE-FORWARD</c> (first rule of FORWARD) jumps to <c>SLUICE-FWD-ID</c>
/// (accepts the cluster CIDRs). Per family: one iptables-save to see what exists and, only when
/// something is missing or different, one iptables-restore --noflush with just that.
/// </summary>
internal sealed class IptablesPodFirewall(Iptables iptables) : IPodFirewall
{
    public const string PostroutingChain = FirewallComponent.BridgePostrouting;
    public const string ForwardChain = FirewallComponent.BridgeForward;

    public string Name => $"iptables-{(iptables.Variant == IptablesVariant.Legacy ? "legacy" : "nft")}";

    public void Dispose()
    {
    }

    public bool Holds(string network)
    {
        var id = AttachmentNames.NetworkId(network);
        return FirewallPlan.Families.Any(family =>
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            return save.HasChain("nat", MasqueradeChain(id)) || save.HasChain("filter", ForwardNetworkChain(id));
        });
    }

    public bool Ensure(FirewallPlan plan)
    {
        var changed = false;
        foreach (var family in plan.FamiliesInUse)
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            var input = new StringBuilder();
            if (plan.Masquerade)
            {
                AppendNat(input, save, plan, family);
            }

            if (plan.Forward)
            {
                AppendFilter(input, save, plan, family);
            }

            if (input.Length > 0)
            {
                iptables.Restore(family, input.ToString());
                changed = true;
            }
        }

        return changed;
    }

    public string? Verify(FirewallPlan plan)
    {
        foreach (var family in plan.FamiliesInUse)
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            if (plan.Masquerade)
            {
                if (!save.HasChain("nat", MasqueradeChain(plan.Id)))
                {
                    return $"{Tool(family)} chain nat {MasqueradeChain(plan.Id)} is missing";
                }

                var rules = save.Rules("nat", PostroutingChain);
                foreach (var missing in plan.SourcesOf(family).Where(s => !rules.Contains(SourceRule(s, plan))))
                {
                    return $"{Tool(family)} masquerade rule for {missing} is missing from nat {PostroutingChain}";
                }
            }

            if (plan.Forward && !save.Rules("filter", "FORWARD").Any(r => r.EndsWith($"-j {ForwardChain}", StringComparison.Ordinal)))
            {
                return $"{Tool(family)} jump from filter FORWARD to {ForwardChain} is missing";
            }
        }

        return null;
    }

    private static void AppendNat(StringBuilder input, IptablesSave save, FirewallPlan plan, AddressFamily family)
    {
        var masq = MasqueradeChain(plan.Id);
        var chains = new List<string>();
        var lines = new List<string>();
        if (!save.HasChain("nat", PostroutingChain))
        {
            chains.Add(PostroutingChain);
        }

        if (!save.Rules("nat", "POSTROUTING").Any(r => r.EndsWith($"-j {PostroutingChain}", StringComparison.Ordinal)))
        {
            lines.Add($"-A POSTROUTING -m comment --comment \"sluice pod masquerade\" -j {PostroutingChain}");
        }

        var exempt = Exemptions(save.Rules("nat", masq), "RETURN", plan, family);
        var wanted = exempt.Select(d => $"-d {d} -j RETURN").Append($"-d {FirewallPlan.Multicast(family)} -j RETURN").Append("-j MASQUERADE").ToList();
        if (!save.HasChain("nat", masq) || !save.Rules("nat", masq).SequenceEqual(wanted))
        {
            chains.Add(masq);
            lines.AddRange(wanted.Select(rule => $"-A {masq} {rule}"));
        }

        var present = save.Rules("nat", PostroutingChain);
        lines.AddRange(plan.SourcesOf(family).Select(s => SourceRule(s, plan)).Where(rule => !present.Contains(rule)).Select(rule => $"-A {PostroutingChain} {rule}"));
        Append(input, "nat", chains, lines);
    }

    private static void AppendFilter(StringBuilder input, IptablesSave save, FirewallPlan plan, AddressFamily family)
    {
        var chain = ForwardNetworkChain(plan.Id);
        var chains = new List<string>();
        var lines = new List<string>();
        if (!save.HasChain("filter", ForwardChain))
        {
            chains.Add(ForwardChain);
        }

        if (!save.Rules("filter", "FORWARD").Any(r => r.EndsWith($"-j {ForwardChain}", StringComparison.Ordinal)))
        {
            lines.Add($"-I FORWARD 1 -m comment --comment \"sluice pod networks\" -j {ForwardChain}");
        }

        if (!save.Rules("filter", ForwardChain).Any(r => r.EndsWith($"-j {chain}", StringComparison.Ordinal)))
        {
            lines.Add($"-A {ForwardChain} -m comment --comment \"sluice {plan.Network}\" -j {chain}");
        }

        var accepted = Exemptions(save.Rules("filter", chain).Where(r => r.StartsWith("-s ", StringComparison.Ordinal)).Select(r => r.Replace("-s ", "-d ", StringComparison.Ordinal)).ToList(), "ACCEPT", plan, family);
        var wanted = accepted.SelectMany(d => new[] { $"-s {d} -j ACCEPT", $"-d {d} -j ACCEPT" }).ToList();
        if (!save.HasChain("filter", chain) || !save.Rules("filter", chain).SequenceEqual(wanted))
        {
            chains.Add(chain);
            lines.AddRange(wanted.Select(rule => $"-A {chain} {rule}"));
        }

        Append(input, "filter", chains, lines);
    }

    /// <summary>
    /// The destinations a chain must cover: exactly the configured cluster CIDRs, or (when they are
    /// not configured) the pod subnets already covered plus this pod's, so ranges add up across ADDs.
    /// </summary>
    private static List<IPNetwork> Exemptions(IReadOnlyList<string> presentRules, string target, FirewallPlan plan, AddressFamily family)
    {
        var wanted = plan.DestinationsOf(family).ToList();
        if (plan.DestinationsConfigured)
        {
            return wanted;
        }

        var multicast = FirewallPlan.Multicast(family);
        var present = presentRules
            .Select(r => r.Split(' '))
            .Where(parts => parts.Length == 4 && parts[0] == "-d" && parts[3] == target && IPNetwork.TryParse(parts[1], out _))
            .Select(parts => IPNetwork.Parse(parts[1]))
            .Where(n => n != multicast);
        return present.Concat(wanted).Distinct().ToList();
    }

    /// <summary>One table's part of the restore input: chain declarations (which create or flush) before any rule.</summary>
    private static void Append(StringBuilder input, string table, List<string> chains, List<string> lines)
    {
        if (chains.Count == 0 && lines.Count == 0)
        {
            return;
        }

        input.Append('*').Append(table).Append('\n');
        foreach (var chain in chains)
        {
            input.Append(':').Append(chain).Append(" - [0:0]\n");
        }

        foreach (var line in lines)
        {
            input.Append(line).Append('\n');
        }

        input.Append("COMMIT\n");
    }

    /// <summary>A source rule exactly as iptables-save prints it, so it can be found by its text.</summary>
    private static string SourceRule(IPNetwork source, FirewallPlan plan) =>
        $"-s {source} -m comment --comment \"sluice {plan.Network}\" -j {MasqueradeChain(plan.Id)}";

    private static string MasqueradeChain(string id) => $"SLUICE-MASQ-{id}";

    private static string ForwardNetworkChain(string id) => $"SLUICE-FWD-{id}";

    private string Tool(AddressFamily family) => family == AddressFamily.InterNetwork ? $"iptables ({Name})" : $"ip6tables ({Name})";
}
