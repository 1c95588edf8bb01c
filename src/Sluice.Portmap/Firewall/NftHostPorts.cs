using System.Net;
using System.Net.Sockets;
using Sluice.Firewall;
using Sluice.Linux;
using Sluice.Linux.Nftables;

namespace Sluice.Portmap.Firewall;

/// <summary>
/// Native nftables in table <c>inet sluice_portmap</c>: base chains <c>prerouting</c> and
/// <c>output</c> (nat, dstnat priority) jump to <c>hostports</c> for destinations that are the
/// node's own addresses; <c>hostports</c> holds one DNAT rule per forward; base chain
/// <c>postrouting</c> (nat, srcnat priority) the masquerades. Every rule of a forward carries its
/// tag as comment. Each change (an ADD, a DEL, a GC) is read first and committed as one batch, or
/// not at all when nothing differs. A commit carries sluice-bridge's firewall stamps over (it
/// changes no table but this one), so the next pod's bridge ADD still finds its rules verified.
/// <para>
/// The table holds every pod's rules, so reading it grows with the pods mapped on the node, and the
/// kernel's part (describing every rule's expressions) is most of an ADD on a busy node. So a chain
/// is read once per change, and only when needed: an ADD reads <c>hostports</c> (the ports taken,
/// and whether the attachment already has rules), the two one-rule entry chains, and
/// <c>postrouting</c> only when the attachment already has rules in <c>hostports</c>. Every change
/// adds and deletes an attachment's rules in both chains in one batch, so without a DNAT rule it has
/// no masquerade rule either, unless one was removed by hand: CHECK reports that, DEL removes both,
/// and the ADD adds its own beside the stray one (the same rule twice).
/// </para>
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

    private readonly Dictionary<string, PortForward?> _tags = new(StringComparer.Ordinal);
    private TableContent? _read;

    public string Name => "nftables";

    public void Dispose() => nft.Dispose();

    public IReadOnlyList<PortForward> Forwards() => ForwardsOf(Read().RulesOf(HostPortsChain));

    public bool Apply(ForwardPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var table = Read();
        var (exists, chains) = (table.Exists, table.Chains);
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
            var current = table.RulesOf(name);
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

        bool Ours(NftRuleInfo rule) => Tag(rule)?.Owner == plan.Owner;
        var ours = table.RulesOf(HostPortsChain).Where(Ours).ToList();
        if (ours.Count > 0)
        {
            ours.AddRange(table.RulesOf(PostroutingChain).Where(Ours));
        }

        var wanted = Desired(plan);
        if (!Keys(ours).SequenceEqual(wanted.Select(w => w.Key)))
        {
            foreach (var rule in ours)
            {
                batch.DeleteRule(Family, Table, rule.Chain, rule.Handle);
            }

            foreach (var (chain, rule, comment, _) in wanted)
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
        var doomed = Read().AllRules().Where(r => Tag(r) is { } forward && remove(forward.Owner)).ToList();
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
        var table = Read();
        if (!table.Exists)
        {
            return [$"nftables table inet {Table} is missing"];
        }

        var rules = table.AllRules();
        var problems = new List<string>();
        foreach (var (name, _) in EntryChains)
        {
            if (!rules.Any(r => r.Chain == name && r.Expressions.SequenceEqual(NftExprText.Describe(EntryRule()))))
            {
                problems.Add($"the jump from chain {name} to {HostPortsChain} of table inet {Table} is missing");
            }
        }

        var ours = rules.Where(r => Tag(r)?.Owner == plan.Owner).ToList();
        foreach (var (chain, _, comment, key) in Desired(plan))
        {
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

    /// <summary>The table as read during this change; read again after a commit of ours.</summary>
    private TableContent Read()
    {
        if (_read is null)
        {
            var exists = nft.TableExists(Family, Table);
            var chains = exists ? nft.ListChains(Family, Table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal) : [];
            _read = new TableContent(nft, exists, chains);
        }

        return _read;
    }

    /// <summary>Commits a change to this table alone, and carries sluice-bridge's stamps over it when it was the only commit (<see cref="NftVerifiedStamps.CarryOver"/>).</summary>
    /// <remarks>
    /// Every batch of this table adds or deletes a rule, so its commit always moves the generation
    /// by one; a batch of operations that change nothing would not, and a foreign commit could then
    /// pass for it. The stamp is only an optimisation: failing to read the generation skips it and
    /// never fails the change.
    /// </remarks>
    private void Commit(NftBatch batch, string what)
    {
        _read = null;
        var before = OrNull<uint>(() => nft.Generation());
        nft.Commit(batch, what);
        if (before is { } generation && OrNull<uint>(() => nft.Generation()) is { } after && OrNull(nft.NamespaceCookie) is { } cookie)
        {
            // The generations say what the stamps may claim; the files can be written after the
            // node's lock is released (CarryOver says why that is safe).
            NodeFirewall.AfterRelease(() => NftVerifiedStamps.CarryOver(cookie, generation, after));
        }
    }

    /// <summary>The answer, or null when the kernel refused the question (the stamp carry is skipped then).</summary>
    private static T? OrNull<T>(Func<T?> ask)
        where T : struct
    {
        try
        {
            return ask();
        }
        catch (LinuxException)
        {
            return null;
        }
    }

    /// <summary>The forwards the rules' tags name, each once, in the rules' order.</summary>
    private List<PortForward> ForwardsOf(IEnumerable<NftRuleInfo> rules)
    {
        var seen = new HashSet<PortForward>();
        var forwards = new List<PortForward>();
        foreach (var rule in rules)
        {
            if (Tag(rule) is { } forward && seen.Add(forward))
            {
                forwards.Add(forward);
            }
        }

        return forwards;
    }

    /// <summary>The forward a rule's comment tags, parsed once per change: an ADD asks for every pod's twice (the conflict check, then its own rules).</summary>
    private PortForward? Tag(NftRuleInfo rule)
    {
        if (rule.Comment is not { } comment)
        {
            return null;
        }

        if (!_tags.TryGetValue(comment, out var forward))
        {
            forward = PortForwardTag.Parse(comment);
            _tags[comment] = forward;
        }

        return forward;
    }

    /// <summary><c>fib daddr type local jump hostports</c></summary>
    private static NftExpr[] EntryRule() => [.. NftMatch.LocalDestination(), new NftVerdict(NftVerdictKind.Jump, HostPortsChain)];

    /// <summary>The attachment's rules, each with its key (chain, comment and expressions as text, described once), in the keys' order.</summary>
    private static List<(string Chain, NftExpr[] Rule, string Comment, string Key)> Desired(ForwardPlan plan)
    {
        var rules = new List<(string Chain, NftExpr[] Rule, string Comment, string Key)>(plan.Forwards.Count + plan.Masquerades.Count);
        void Want(string chain, NftExpr[] rule, string comment) => rules.Add((chain, rule, comment, Key(chain, comment, NftExprText.Describe(rule))));
        foreach (var forward in plan.Forwards)
        {
            Want(HostPortsChain, Dnat(forward), PortForwardTag.Format(forward));
        }

        foreach (var masquerade in plan.Masquerades)
        {
            Want(PostroutingChain, Masquerade(masquerade), PortForwardTag.Format(masquerade.Forward));
        }

        rules.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
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

    /// <summary>What <c>inet sluice_portmap</c> holds: whether it exists, its chains' names, and the rules of a chain, each chain's dumped when first asked for.</summary>
    private sealed class TableContent(Nftables nft, bool exists, HashSet<string> chains)
    {
        private readonly Dictionary<string, IReadOnlyList<NftRuleInfo>> _rules = new(StringComparer.Ordinal);

        public bool Exists => exists;

        public HashSet<string> Chains => chains;

        public IReadOnlyList<NftRuleInfo> RulesOf(string chain)
        {
            if (!chains.Contains(chain))
            {
                return [];
            }

            if (!_rules.TryGetValue(chain, out var rules))
            {
                rules = nft.ListRules(Family, Table, chain);
                _rules[chain] = rules;
            }

            return rules;
        }

        public List<NftRuleInfo> AllRules() => chains.Order(StringComparer.Ordinal).SelectMany(RulesOf).ToList();
    }
}
