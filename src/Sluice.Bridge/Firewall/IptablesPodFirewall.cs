using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Iptables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// The same rules with iptables, for nodes whose firewall is iptables (legacy or nft). Sluice's
/// chains: nat <c>SLUICE-POSTROUTING</c> (jumped to from POSTROUTING) holds one commented rule per
/// pod address sending it to <c>SLUICE-MASQ-ID</c> (returns for cluster CIDRs and multicast, else
/// MASQUERADE); filter <c>SLUICE-FORWARD</c> (first rule of FORWARD) jumps to <c>SLUICE-FWD-ID</c>
/// (accepts the cluster CIDRs). Per family: one iptables-save to see what exists, then one
/// iptables-restore --noflush that adds only what is missing and refills the per-network chains.
/// </summary>
internal sealed class IptablesPodFirewall(Iptables iptables) : IPodFirewall
{
    public const string PostroutingChain = "SLUICE-POSTROUTING";
    public const string ForwardChain = "SLUICE-FORWARD";
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    public string Name => $"iptables-{(iptables.Variant == IptablesVariant.Legacy ? "legacy" : "nft")}";

    public void Dispose()
    {
    }

    public void Add(FirewallPlan plan, PodEntry pod)
    {
        foreach (var family in Families.Where(f => plan.CidrsOf(f).Any() || pod.AddressesOf(f).Any()))
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            var input = new StringBuilder();
            if (plan.Masquerade)
            {
                AppendNat(input, save, plan, pod, family);
            }

            if (plan.Forward)
            {
                AppendFilter(input, save, plan, family);
            }

            if (input.Length > 0)
            {
                iptables.Restore(family, input.ToString());
            }
        }
    }

    public int Remove(string network, Func<(string ContainerId, string IfName), bool> remove)
    {
        var removed = 0;
        foreach (var family in Families)
        {
            var save = IptablesSave.Parse(iptables.Save(family, "nat"));
            var doomed = save.Rules("nat", PostroutingChain)
                .Where(rule => AttachmentNames.ParseTag(CommentOf(rule), network) is { } owner && remove(owner))
                .ToList();
            if (doomed.Count == 0)
            {
                continue;
            }

            var input = new StringBuilder("*nat\n");
            foreach (var rule in doomed)
            {
                input.Append("-D ").Append(PostroutingChain).Append(' ').Append(rule).Append('\n');
            }

            iptables.Restore(family, input.Append("COMMIT\n").ToString());
            removed += doomed.Count;
        }

        return removed;
    }

    public string? Verify(FirewallPlan plan, PodEntry pod)
    {
        foreach (var family in Families.Where(f => pod.AddressesOf(f).Any()))
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            if (plan.Masquerade)
            {
                if (!save.HasChain("nat", MasqueradeChain(plan)))
                {
                    return $"{Tool(family)} chain nat {MasqueradeChain(plan)} is missing";
                }

                var rules = save.Rules("nat", PostroutingChain);
                var missing = pod.AddressesOf(family).FirstOrDefault(a => !rules.Contains(PodRule(a, pod.Tag, plan)));
                if (missing is not null)
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

    private static void AppendNat(StringBuilder input, IptablesSave save, FirewallPlan plan, PodEntry pod, AddressFamily family)
    {
        var masq = MasqueradeChain(plan);
        input.Append("*nat\n");
        if (!save.HasChain("nat", PostroutingChain))
        {
            input.Append(':').Append(PostroutingChain).Append(" - [0:0]\n");
        }

        input.Append(':').Append(masq).Append(" - [0:0]\n");
        if (!save.Rules("nat", "POSTROUTING").Any(r => r.EndsWith($"-j {PostroutingChain}", StringComparison.Ordinal)))
        {
            input.Append("-A POSTROUTING -m comment --comment \"sluice pod masquerade\" -j ").Append(PostroutingChain).Append('\n');
        }

        foreach (var cidr in plan.CidrsOf(family).Append(FirewallPlan.Multicast(family)))
        {
            input.Append("-A ").Append(masq).Append(" -d ").Append(cidr).Append(" -j RETURN\n");
        }

        input.Append("-A ").Append(masq).Append(" -j MASQUERADE\n");
        foreach (var stale in save.Rules("nat", PostroutingChain).Where(r => CommentOf(r) == pod.Tag))
        {
            input.Append("-D ").Append(PostroutingChain).Append(' ').Append(stale).Append('\n');
        }

        foreach (var address in pod.AddressesOf(family))
        {
            input.Append("-A ").Append(PostroutingChain).Append(' ').Append(PodRule(address, pod.Tag, plan)).Append('\n');
        }

        input.Append("COMMIT\n");
    }

    private static void AppendFilter(StringBuilder input, IptablesSave save, FirewallPlan plan, AddressFamily family)
    {
        var chain = $"SLUICE-FWD-{plan.Id}";
        input.Append("*filter\n");
        if (!save.HasChain("filter", ForwardChain))
        {
            input.Append(':').Append(ForwardChain).Append(" - [0:0]\n");
        }

        input.Append(':').Append(chain).Append(" - [0:0]\n");
        if (!save.Rules("filter", "FORWARD").Any(r => r.EndsWith($"-j {ForwardChain}", StringComparison.Ordinal)))
        {
            input.Append("-I FORWARD 1 -m comment --comment \"sluice pod networks\" -j ").Append(ForwardChain).Append('\n');
        }

        if (!save.Rules("filter", ForwardChain).Any(r => r.EndsWith($"-j {chain}", StringComparison.Ordinal)))
        {
            input.Append("-A ").Append(ForwardChain).Append(" -m comment --comment \"sluice ").Append(plan.Network).Append("\" -j ").Append(chain).Append('\n');
        }

        foreach (var cidr in plan.CidrsOf(family))
        {
            input.Append("-A ").Append(chain).Append(" -s ").Append(cidr).Append(" -j ACCEPT\n");
            input.Append("-A ").Append(chain).Append(" -d ").Append(cidr).Append(" -j ACCEPT\n");
        }

        input.Append("COMMIT\n");
    }

    /// <summary>The rule exactly as iptables-save prints it (so it can be found and deleted by its text).</summary>
    private static string PodRule(IPAddress address, string tag, FirewallPlan plan) =>
        $"-s {address}/{(address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)} -m comment --comment \"{tag}\" -j {MasqueradeChain(plan)}";

    private static string MasqueradeChain(FirewallPlan plan) => $"SLUICE-MASQ-{plan.Id}";

    private static string? CommentOf(string rule)
    {
        const string marker = "--comment \"";
        var start = rule.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = rule.IndexOf('"', start);
        return end < 0 ? null : rule[start..end];
    }

    private string Tool(AddressFamily family) => family == AddressFamily.InterNetwork ? $"iptables ({Name})" : $"ip6tables ({Name})";
}
