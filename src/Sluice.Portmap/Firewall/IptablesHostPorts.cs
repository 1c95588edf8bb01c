using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Firewall;
using Sluice.Linux.Iptables;
using Sluice.Linux.Nftables;

namespace Sluice.Portmap.Firewall;

/// <summary>
/// The same rules with iptables (legacy or nft, as the node's firewall decision says), nat table
/// of each family: PREROUTING and OUTPUT jump to <c>SLUICE-HOSTPORTS</c> (one DNAT rule per
/// forward) for local destinations; POSTROUTING jumps first thing to <c>SLUICE-HOSTPORTS-MASQ</c>
/// (the masquerades). Per family: one iptables-save to read and, only when something differs, one
/// iptables-restore --noflush with just that. A family whose chains do not exist is not read at
/// all (that is known from the kernel without running iptables).
/// </summary>
internal sealed class IptablesHostPorts(Iptables iptables) : IHostPortFirewall
{
    public const string HostPortsChain = FirewallComponent.PortmapHostPorts;
    public const string MasqueradeChain = FirewallComponent.PortmapMasquerade;
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    private static readonly string[] EntryJumps =
    [
        $"-A PREROUTING -m addrtype --dst-type LOCAL -m comment --comment \"sluice-portmap hostports\" -j {HostPortsChain}",
        $"-A OUTPUT -m addrtype --dst-type LOCAL -m comment --comment \"sluice-portmap hostports\" -j {HostPortsChain}",
        $"-A POSTROUTING -m comment --comment \"sluice-portmap masquerade\" -j {MasqueradeChain}",
    ];

    public string Name => $"iptables-{(iptables.Variant == IptablesVariant.Legacy ? "legacy" : "nft")}";

    public void Dispose()
    {
    }

    public IReadOnlyList<PortForward> Forwards() =>
        FamiliesWithChains().SelectMany(family => Ours(Save(family), _ => true).Where(l => l.Chain == HostPortsChain).Select(l => l.Forward)).Distinct().ToList();

    public bool Apply(ForwardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var changed = false;
        foreach (var family in plan.Families.Union(FamiliesWithChains()))
        {
            var save = Save(family);
            var input = new StringBuilder();
            foreach (var chain in new[] { HostPortsChain, MasqueradeChain }.Where(c => !save.HasChain("nat", c)))
            {
                input.Append(':').Append(chain).Append(" - [0:0]\n");
            }

            foreach (var jump in EntryJumps.Where(j => !save.Rules("nat").Contains(j)))
            {
                // The masquerade jump goes first in POSTROUTING, before masquerade rules of others (as the reference's does).
                input.Append(jump.StartsWith("-A POSTROUTING", StringComparison.Ordinal) ? "-I POSTROUTING 1" + jump[14..] : jump).Append('\n');
            }

            var ours = Ours(save, owner => owner == plan.Owner).Select(l => l.Line).Order(StringComparer.Ordinal).ToList();
            var wanted = Desired(plan, family);
            if (!ours.SequenceEqual(wanted))
            {
                ours.ForEach(line => input.Append("-D").Append(line[2..]).Append('\n'));
                wanted.ForEach(line => input.Append(line).Append('\n'));
            }

            if (input.Length > 0)
            {
                iptables.Restore(family, $"*nat\n{input}COMMIT\n");
                changed = true;
            }
        }

        return changed;
    }

    public IReadOnlyList<PortForward> Remove(Func<MappingOwner, bool> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var removed = new List<PortForward>();
        foreach (var family in FamiliesWithChains())
        {
            var doomed = Ours(Save(family), remove).ToList();
            if (doomed.Count > 0)
            {
                iptables.Restore(family, $"*nat\n{string.Concat(doomed.Select(l => $"-D{l.Line[2..]}\n"))}COMMIT\n");
                removed.AddRange(doomed.Where(l => l.Chain == HostPortsChain).Select(l => l.Forward));
            }
        }

        return removed.Distinct().ToList();
    }

    public IReadOnlyList<string> Verify(ForwardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var problems = new List<string>();
        foreach (var family in plan.Families.Union(FamiliesWithChains()))
        {
            var save = Save(family);
            var tool = family == AddressFamily.InterNetwork ? $"iptables ({Name})" : $"ip6tables ({Name})";
            if (plan.Families.Contains(family))
            {
                problems.AddRange(EntryJumps.Where(j => !save.Rules("nat").Contains(j)).Select(j => $"{tool}: the jump '{j}' is missing from the nat table"));
            }

            var ours = Ours(save, owner => owner == plan.Owner).ToList();
            foreach (var line in Desired(plan, family))
            {
                if (ours.FindIndex(l => l.Line == line) is var at && at >= 0)
                {
                    ours.RemoveAt(at);
                }
                else
                {
                    var forward = PortForwardTag.Parse(CommentOf(line))!;
                    problems.Add($"{tool}: the {(ChainOf(line) == HostPortsChain ? "DNAT" : "masquerade")} rule of {forward.Describe()} is missing or differs ('{line}')");
                }
            }

            problems.AddRange(ours.Select(extra => $"{tool}: rule '{extra.Line}' of {extra.Forward.Describe()} is not one this attachment should have"));
        }

        return problems;
    }

    /// <summary>The rules of our two chains whose tag names an owner <paramref name="select"/> picks, as iptables-save prints them.</summary>
    private static IEnumerable<(string Chain, string Line, PortForward Forward)> Ours(IptablesSave save, Func<MappingOwner, bool> select) =>
        save.Rules("nat")
            .Select(line => (Chain: ChainOf(line), Line: line, Forward: PortForwardTag.Parse(CommentOf(line))))
            .Where(r => r.Chain is HostPortsChain or MasqueradeChain && r.Forward is not null && select(r.Forward.Owner))
            .Select(r => (r.Chain!, r.Line, r.Forward!));

    /// <summary>The plan's rules of one family, exactly as iptables-save prints them, sorted.</summary>
    private static List<string> Desired(ForwardPlan plan, AddressFamily family)
    {
        var host = family == AddressFamily.InterNetwork ? 32 : 128;
        var dnat = plan.Forwards.Where(f => f.Family == family).Select(f =>
            $"-A {HostPortsChain}{(f.HostIp is null ? "" : $" -d {f.HostIp}/{host}")} {Protocol(f, f.HostPort)} {Comment(f)} -j DNAT --to-destination {new IPEndPoint(f.PodAddress, f.ContainerPort)}");
        var masquerade = plan.Masquerades.Where(m => m.Forward.Family == family).Select(m =>
            $"-A {MasqueradeChain}{(m.Source is { PrefixLength: > 0 } source ? $" -s {source}" : "")} -d {m.Forward.PodAddress}/{host} " +
            $"{Protocol(m.Forward, m.Forward.ContainerPort)} -m conntrack --ctstate DNAT --ctorigdstport {m.Forward.HostPort} {Comment(m.Forward)} -j MASQUERADE");
        return dnat.Concat(masquerade).Order(StringComparer.Ordinal).ToList();
    }

    private static string Protocol(PortForward f, int port)
    {
        var name = MappingProtocols.Name(f.Protocol);
        return $"-p {name} -m {name} --dport {port}";
    }

    private static string Comment(PortForward f) => $"-m comment --comment \"{PortForwardTag.Format(f)}\"";

    private static string? ChainOf(string line) => line.Split(' ', 3) is ["-A", var chain, _] ? chain : null;

    private static string? CommentOf(string line)
    {
        const string Marker = " --comment \"";
        var start = line.IndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var end = line.IndexOf('"', start);
        return end < 0 ? null : line[start..end];
    }

    private IptablesSave Save(AddressFamily family) => IptablesSave.Parse(iptables.Save(family, "nat"));

    /// <summary>The families whose nat table has our chains, read from the kernel (no iptables run).</summary>
    private IEnumerable<AddressFamily> FamiliesWithChains()
    {
        if (iptables.Variant == IptablesVariant.Legacy)
        {
            return Families.Where(family => LegacyTables.Read(family).Any(t => t.Name == "nat" && t.UserChains.Contains(HostPortsChain)));
        }

        using var nft = Nftables.Open();
        var tables = nft.TryListTables(out var listed) ? listed : [];
        return Families.Where(family =>
        {
            var nftFamily = family == AddressFamily.InterNetwork ? NftFamily.Ip : NftFamily.Ip6;
            return tables.Any(t => t.Family == nftFamily && t.Name == "nat") && nft.ListChains(nftFamily, "nat").Any(c => c.Name == HostPortsChain);
        }).ToList();
    }
}
