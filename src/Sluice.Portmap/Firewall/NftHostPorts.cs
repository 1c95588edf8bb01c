using System.Net;
using System.Net.Sockets;
using Sluice.Firewall;
using Sluice.Linux.Nftables;

namespace Sluice.Portmap.Firewall;

/// <summary>
/// Native nftables in table <c>inet sluice_portmap</c>: base chains <c>prerouting</c> and
/// <c>output</c> (nat, dstnat priority) jump to <c>hostports</c> for destinations that are the
/// node's own addresses; <c>hostports</c> holds one DNAT rule per forward; base chain
/// <c>postrouting</c> (nat, srcnat priority) the masquerades. Every rule of a forward carries its
/// tag as comment. Each change (an ADD, a DEL, a GC) is read first and committed as one batch, or
/// not at all when nothing differs. The table is read once per change, not once per question (an
/// ADD asks which ports are taken and then what to change, under the node's firewall lock): it holds
/// every pod's rules, so each read grows with the pods mapped on the node.
/// </summary>
internal sealed class NftHostPorts(Nftables nft) : IHostPortFirewall
{
    public const string Table = FirewallComponent.PortmapTable;
    public const string HostPortsChain = "hostports";
    public const string PostroutingChain = "postrouting";
    private const NftFamily Family = NftFamily.Inet;

    private static readonly (string Name, NftBaseChain Base)[] EntryChains =
    [
        ("prerouting", new NftBaseChain("nat", NftHook.Prerouting, NftBaseChain.PriorityDstNat)),
        ("output", new NftBaseChain("nat", NftHook.Output, NftBaseChain.PriorityDstNat)),
    ];

    private static readonly NftBaseChain Postrouting = new("nat", NftHook.Postrouting, NftBaseChain.PrioritySrcNat);

    private TableContent? _read;

    public string Name => "nftables";

    public void Dispose() => nft.Dispose();

    public IReadOnlyList<PortForward> Forwards() => ForwardsOf(Read().Rules.Where(r => r.Chain == HostPortsChain));

    public bool Apply(ForwardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (exists, chains, rules) = Read();
        var batch = nft.Batch();
        if (!exists)
        {
            batch.AddTable(Family, Table, "sluice-portmap: hostPort forwarding");
        }

        if (!chains.Contains(HostPortsChain))
        {
            batch.AddChain(Family, Table, HostPortsChain);
        }

        if (!chains.Contains(PostroutingChain))
        {
            batch.AddChain(Family, Table, PostroutingChain, Postrouting);
        }

        foreach (var (name, baseChain) in EntryChains)
        {
            var current = rules.Where(r => r.Chain == name).ToList();
            if (chains.Contains(name) && current.Count == 1 && current[0].Expressions.SequenceEqual(NftExprText.Describe(EntryRule())))
            {
                continue;
            }

            if (chains.Contains(name))
            {
                batch.FlushChain(Family, Table, name);
            }
            else
            {
                batch.AddChain(Family, Table, name, baseChain);
            }

            batch.AddRule(Family, Table, name, EntryRule());
        }

        var ours = rules.Where(r => PortForwardTag.Parse(r.Comment)?.Owner == plan.Owner).ToList();
        var wanted = Desired(plan);
        if (!Keys(ours).SequenceEqual(wanted.Select(w => Key(w.Chain, w.Comment, NftExprText.Describe(w.Rule)))))
        {
            foreach (var rule in ours)
            {
                batch.DeleteRule(Family, Table, rule.Chain, rule.Handle);
            }

            foreach (var (chain, rule, comment) in wanted)
            {
                batch.AddRule(Family, Table, chain, rule, comment);
            }
        }

        if (batch.Count == 0)
        {
            return false;
        }

        Commit(batch, $"installing the port mappings of {plan.Owner}");
        return true;
    }

    public IReadOnlyList<PortForward> Remove(Func<MappingOwner, bool> remove)
    {
        ArgumentNullException.ThrowIfNull(remove);
        var doomed = Read().Rules.Where(r => PortForwardTag.Parse(r.Comment) is { } forward && remove(forward.Owner)).ToList();
        if (doomed.Count == 0)
        {
            return [];
        }

        var batch = nft.Batch();
        foreach (var rule in doomed)
        {
            batch.DeleteRule(Family, Table, rule.Chain, rule.Handle);
        }

        Commit(batch, "removing port mappings");
        return ForwardsOf(doomed.Where(r => r.Chain == HostPortsChain));
    }

    public IReadOnlyList<string> Verify(ForwardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (exists, _, rules) = Read();
        if (!exists)
        {
            return [$"nftables table inet {Table} is missing"];
        }

        var problems = new List<string>();
        foreach (var (name, _) in EntryChains)
        {
            if (!rules.Any(r => r.Chain == name && r.Expressions.SequenceEqual(NftExprText.Describe(EntryRule()))))
            {
                problems.Add($"the jump from chain {name} to {HostPortsChain} of table inet {Table} is missing");
            }
        }

        var ours = rules.Where(r => PortForwardTag.Parse(r.Comment)?.Owner == plan.Owner).ToList();
        foreach (var (chain, rule, comment) in Desired(plan))
        {
            var key = Key(chain, comment, NftExprText.Describe(rule));
            if (ours.FindIndex(r => Key(r.Chain, r.Comment, r.Expressions) == key) is var at && at >= 0)
            {
                ours.RemoveAt(at);
            }
            else
            {
                problems.Add($"{(chain == HostPortsChain ? "the DNAT" : "a masquerade")} rule of {PortForwardTag.Parse(comment)!.Describe()} in chain {chain} of table inet {Table} is missing or differs");
            }
        }

        problems.AddRange(ours.Select(extra => $"rule {extra.Handle} of {PortForwardTag.Parse(extra.Comment)!.Describe()} in chain {extra.Chain} of table inet {Table} is not one this attachment should have"));
        return problems;
    }

    /// <summary>The table as last read, read now if it was not yet or a commit of ours changed it since.</summary>
    private TableContent Read()
    {
        if (_read is null)
        {
            var exists = nft.TableExists(Family, Table);
            var chains = exists ? nft.ListChains(Family, Table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal) : [];
            _read = new TableContent(exists, chains, chains.Count > 0 ? nft.ListRules(Family, Table) : []);
        }

        return _read;
    }

    private void Commit(NftBatch batch, string what)
    {
        _read = null;
        nft.Commit(batch, what);
    }

    private static List<PortForward> ForwardsOf(IEnumerable<NftRuleInfo> rules) =>
        rules.Select(r => PortForwardTag.Parse(r.Comment)).OfType<PortForward>().Distinct().ToList();

    /// <summary><c>fib daddr type local jump hostports</c></summary>
    private static NftExpr[] EntryRule() => [.. NftMatch.LocalDestination(), new NftVerdict(NftVerdictKind.Jump, HostPortsChain)];

    private static List<(string Chain, NftExpr[] Rule, string Comment)> Desired(ForwardPlan plan)
    {
        var rules = plan.Forwards.Select(f => (HostPortsChain, Dnat(f), PortForwardTag.Format(f)))
            .Concat(plan.Masquerades.Select(m => (PostroutingChain, Masquerade(m), PortForwardTag.Format(m.Forward))))
            .ToList();
        rules.Sort((a, b) => string.CompareOrdinal(Key(a.Item1, a.Item3, NftExprText.Describe(a.Item2)), Key(b.Item1, b.Item3, NftExprText.Describe(b.Item2))));
        return rules;
    }

    /// <summary><c>meta nfproto F [ip daddr HOSTIP] meta l4proto P th dport HOSTPORT counter dnat to POD:PORT</c></summary>
    private static NftExpr[] Dnat(PortForward f) =>
    [
        .. NftMatch.Family(f.Family),
        .. f.HostIp is { } hostIp ? NftMatch.Address(Host(hostIp), source: false) : [],
        .. NftMatch.L4Protocol((byte)f.Protocol),
        .. NftMatch.Port(f.HostPort, destination: true),
        new NftCounter(),
        .. NftMatch.DnatTo(f.PodAddress, f.ContainerPort),
    ];

    /// <summary><c>ct status dnat meta nfproto F ip daddr POD meta l4proto P th dport PORT ct original proto-dst HOSTPORT [ip saddr SOURCE] counter masquerade</c></summary>
    private static NftExpr[] Masquerade(Masquerade m) =>
    [
        .. NftMatch.CtStatusDnat(),
        .. NftMatch.Family(m.Forward.Family),
        .. NftMatch.Address(Host(m.Forward.PodAddress), source: false),
        .. NftMatch.L4Protocol((byte)m.Forward.Protocol),
        .. NftMatch.Port(m.Forward.ContainerPort, destination: true),
        .. NftMatch.CtOriginalDestinationPort(m.Forward.HostPort),
        .. m.Source is { PrefixLength: > 0 } source ? NftMatch.Address(source, source: true) : [],
        new NftCounter(),
        new NftMasquerade(),
    ];

    private static IPNetwork Host(IPAddress address) => new(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    private static IEnumerable<string> Keys(IEnumerable<NftRuleInfo> rules) =>
        rules.Select(r => Key(r.Chain, r.Comment, r.Expressions)).Order(StringComparer.Ordinal);

    private static string Key(string chain, string? comment, IReadOnlyList<string> expressions) =>
        $"{chain}|{comment}|{string.Join(';', expressions)}";

    /// <summary>What <c>inet sluice_portmap</c> held when read: whether it exists, its chains' names and its rules.</summary>
    private sealed record TableContent(bool Exists, HashSet<string> Chains, IReadOnlyList<NftRuleInfo> Rules);
}
