using System.Net.Sockets;
using System.Text;
using Sluice.Capture.Rules;
using Sluice.Linux.Iptables;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;
using static Sluice.Capture.Iptables.IptablesRuleText;
using IptablesRunner = Sluice.Linux.Iptables.Iptables;

namespace Sluice.Capture.Iptables;

/// <summary>
/// Capture with iptables: chains <c>SLUICE_*</c> in nat and mangle, one jump to each hook chain
/// from the built-in chain, written with one <c>iptables-restore --noflush</c> per family. What is
/// there already is read without running iptables where possible (iptables-nft over netlink; for
/// iptables-legacy the kernel's list of tables), so applying to a fresh namespace is one exec per
/// family; when Sluice's chains exist, one iptables-save first, and a restore only if they differ.
/// </summary>
internal sealed class IptablesCaptureBackend(IptablesRunner iptables, NetNs? ns, SharedNftables? netfilter) : ICaptureBackend
{
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];
    private static readonly CaptureTable[] Tables = [CaptureTable.Nat, CaptureTable.Mangle];
    private static readonly string[] BuiltIns = ["PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"];

    public string Name => iptables.Variant == IptablesVariant.Legacy ? "iptables-legacy" : "iptables-nft";

    public IptablesRunner Runner => iptables;

    public bool Holds()
    {
        var kernelTables = KernelTables();
        return Families.Any(family => Read(family, kernelTables) is { } save && Tables.Any(t => OwnChains(save, t).Any()));
    }

    public bool Apply(CaptureRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var changed = false;
        var kernelTables = KernelTables();
        foreach (var family in Families)
        {
            var save = Read(family, kernelTables);
            var input = new StringBuilder();
            foreach (var table in Tables)
            {
                var wanted = Covers(rules, family) ? rules.In(table).ToList() : [];
                AppendTable(input, table, wanted, family, save);
            }

            if (input.Length > 0)
            {
                iptables.Restore(family, input.ToString());
                changed = true;
            }
        }

        return changed;
    }

    public IReadOnlyList<string> Verify(CaptureRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var problems = new List<string>();
        foreach (var family in Families)
        {
            var save = IptablesSave.Parse(iptables.Save(family));
            var tool = family == AddressFamily.InterNetwork ? "iptables" : "ip6tables";
            foreach (var table in Tables)
            {
                var wanted = Covers(rules, family) ? rules.In(table).ToList() : [];
                var tableName = Table(table);
                foreach (var chain in wanted)
                {
                    var name = Chain(chain.Name);
                    if (!save.HasChain(tableName, name))
                    {
                        problems.Add($"{tool} chain {tableName} {name} is missing");
                        continue;
                    }

                    var want = chain.Rules.Where(r => r.AppliesTo(family)).Select(r => Rule(r, family)).ToList();
                    var have = save.Rules(tableName, name);
                    if (!have.SequenceEqual(want))
                    {
                        problems.Add($"{tool} chain {tableName} {name} differs: want [{string.Join("; ", want)}], have [{string.Join("; ", have)}]");
                    }

                    if (chain.IsHook)
                    {
                        var jumps = save.Rules(tableName).Count(r => r == Jump(chain));
                        if (jumps != 1)
                        {
                            problems.Add($"{tool} {tableName} {BuiltIn(chain.Hook!.Value)} has {jumps} jumps to {name}, not 1");
                        }
                    }
                }

                foreach (var stale in OwnChains(save, table).Where(c => wanted.All(w => Chain(w.Name) != c)))
                {
                    problems.Add($"{tool} chain {tableName} {stale} is not part of this capture");
                }
            }
        }

        return problems;
    }

    public bool Remove()
    {
        var removed = false;
        var kernelTables = KernelTables();
        foreach (var family in Families)
        {
            var save = Read(family, kernelTables);
            if (save is null)
            {
                continue;
            }

            var input = new StringBuilder();
            foreach (var table in Tables)
            {
                AppendTable(input, table, [], family, save);
            }

            if (input.Length > 0)
            {
                iptables.Restore(family, input.ToString());
                removed = true;
            }
        }

        return removed;
    }

    public string Render(CaptureRuleSet rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var text = new StringBuilder();
        foreach (var family in Families.Where(f => Covers(rules, f)))
        {
            text.Append("# ").Append(family == AddressFamily.InterNetwork ? "iptables" : "ip6tables").Append("-restore --noflush\n");
            foreach (var table in Tables)
            {
                AppendTable(text, table, rules.In(table).ToList(), family, null);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// One table's part of the restore input, or nothing when the table already holds exactly the
    /// wanted chains. Declaring a chain creates or flushes it; stale chains lose their jumps and go.
    /// </summary>
    private static void AppendTable(StringBuilder input, CaptureTable table, List<CaptureChain> wanted, AddressFamily family, IptablesSave? save)
    {
        var tableName = Table(table);
        var present = save is null ? [] : OwnChains(save, table).ToList();
        var stale = present.Where(c => wanted.All(w => Chain(w.Name) != c)).ToList();
        var wantedRules = wanted.ToDictionary(c => Chain(c.Name), c => c.Rules.Where(r => r.AppliesTo(family)).Select(r => Rule(r, family)).ToList(), StringComparer.Ordinal);
        var jumps = save is null ? [] : save.Rules(tableName).Where(r => BuiltIns.Any(b => r.StartsWith($"-A {b} ", StringComparison.Ordinal)) && JumpTarget(r) is { } target && target.StartsWith(ChainPrefix, StringComparison.Ordinal)).ToList();

        var inPlace = save is not null && stale.Count == 0 &&
            wanted.All(c => save.HasChain(tableName, Chain(c.Name)) && save.Rules(tableName, Chain(c.Name)).SequenceEqual(wantedRules[Chain(c.Name)])) &&
            jumps.Count == wanted.Count(c => c.IsHook) && wanted.Where(c => c.IsHook).All(c => jumps.Contains(Jump(c)));
        if (inPlace || (wanted.Count == 0 && stale.Count == 0 && jumps.Count == 0))
        {
            return;
        }

        input.Append('*').Append(tableName).Append('\n');
        foreach (var chain in wantedRules.Keys.Concat(stale))
        {
            input.Append(':').Append(chain).Append(" - [0:0]\n");
        }

        // Keep one jump per wanted hook chain (its exact form); every other jump to a Sluice chain goes.
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var jump in jumps)
        {
            if (wanted.Any(c => c.IsHook && Jump(c) == jump) && kept.Add(jump))
            {
                continue;
            }

            input.Append("-D").Append(jump[2..]).Append('\n');
        }

        foreach (var chain in wanted.Where(c => c.IsHook && !kept.Contains(Jump(c))))
        {
            input.Append($"-I {BuiltIn(chain.Hook!.Value)} 1 -j {Chain(chain.Name)}\n");
        }

        foreach (var chain in stale)
        {
            input.Append("-X ").Append(chain).Append('\n');
        }

        foreach (var (chain, rules) in wantedRules)
        {
            foreach (var rule in rules)
            {
                input.Append("-A ").Append(chain).Append(' ').Append(rule).Append('\n');
            }
        }

        input.Append("COMMIT\n");
    }

    /// <summary>
    /// The tables the kernel has, read once for both families: for iptables-nft, the nf_tables
    /// tables; for iptables-legacy, the names in /proc/net/ip_tables_names and ip6_tables_names,
    /// read in one visit to the namespace (entering it costs more than the reads).
    /// </summary>
    private KernelTableNames KernelTables()
    {
        if (iptables.Variant != IptablesVariant.Legacy)
        {
            return new(Netfilter.TablesIfSupported(), null, null);
        }

        (HashSet<string>, HashSet<string>) ReadBoth() => (ReadLines("/proc/thread-self/net/ip_tables_names"), ReadLines("/proc/thread-self/net/ip6_tables_names"));
        var (v4, v6) = ns is null ? ReadBoth() : ns.Run(ReadBoth);
        return new(null, v4, v6);
    }

    /// <summary>
    /// What the family's tables hold, or null when they certainly hold nothing of Sluice's (read
    /// without running iptables). Only then is iptables-save run.
    /// </summary>
    private IptablesSave? Read(AddressFamily family, KernelTableNames kernelTables)
    {
        bool mayHold;
        if (iptables.Variant == IptablesVariant.Legacy)
        {
            var names = (family == AddressFamily.InterNetwork ? kernelTables.Legacy4 : kernelTables.Legacy6) ?? [];
            mayHold = names.Contains("nat") || names.Contains("mangle");
        }
        else
        {
            var nft = Netfilter.Socket;
            var nftFamily = family == AddressFamily.InterNetwork ? NftFamily.Ip : NftFamily.Ip6;
            var tables = kernelTables.Nft ?? [];
            mayHold = Tables.Any(t => tables.Any(x => x.Family == nftFamily && x.Name == Table(t)) &&
                nft.ListChains(nftFamily, Table(t)).Any(c => c.Name.StartsWith(ChainPrefix, StringComparison.Ordinal)));
        }

        return mayHold ? IptablesSave.Parse(iptables.Save(family)) : null;
    }

    private static IEnumerable<string> OwnChains(IptablesSave save, CaptureTable table) =>
        save.Chains(Table(table)).Where(c => c.StartsWith(ChainPrefix, StringComparison.Ordinal));

    private static string? JumpTarget(string rule)
    {
        var index = rule.LastIndexOf(" -j ", StringComparison.Ordinal);
        return index < 0 ? null : rule[(index + 4)..].Split(' ')[0];
    }

    private static bool Covers(CaptureRuleSet rules, AddressFamily family) =>
        rules.Families.HasFlag(family == AddressFamily.InterNetwork ? Policy.CaptureFamilies.Ipv4 : Policy.CaptureFamilies.Ipv6);

    /// <summary>The engine's nf_tables socket, which iptables-nft's state is read through.</summary>
    private SharedNftables Netfilter => netfilter ?? throw new InvalidOperationException("iptables-nft state needs the engine's nf_tables socket");

    /// <summary>The file's lines; none when it is absent (the ip_tables module is not loaded).</summary>
    private static HashSet<string> ReadLines(string file) =>
        new(Sluice.Linux.Files.ProcFiles.ReadLinesOrNull(file) ?? [], StringComparer.Ordinal);

    /// <summary>What <see cref="KernelTables"/> found: nf_tables tables for iptables-nft, or the legacy table names per family.</summary>
    private sealed record KernelTableNames(IReadOnlyList<NftTableInfo>? Nft, HashSet<string>? Legacy4, HashSet<string>? Legacy6);
}
