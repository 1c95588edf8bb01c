using Sluice.Capture.Rules;
using Sluice.Linux.Nftables;

namespace Sluice.Capture.Nft;

/// <summary>
/// Capture with native nftables: table <c>inet sluice_capture</c>, written in one atomic netlink
/// batch with no exec. The table is read first; when it already holds exactly the wanted chains
/// and rules nothing is sent, otherwise the batch replaces the whole table at once. Removal
/// deletes that table and nothing else.
/// </summary>
internal sealed class NftCaptureBackend(SharedNftables netfilter) : ICaptureBackend
{
    public const string Table = "sluice_capture";
    public const string Comment = "sluice: traffic capture for the sidecar proxy";
    private const NftFamily Family = NftFamily.Inet;

    public string Name => "nftables";

    private Nftables Nft => netfilter.Socket;

    public bool Holds() => netfilter.TableExists(Family, Table);

    public bool Apply(CaptureRuleSet rules)
    {
        var program = NftWanted.Of(rules);
        var wanted = program.Chains;
        var exists = netfilter.TableExists(Family, Table);
        if (exists && Differences(program).Count == 0)
        {
            return false;
        }

        var batch = Nft.Batch();
        if (exists)
        {
            batch.DeleteTable(Family, Table);
        }

        batch.AddTable(Family, Table, Comment);
        foreach (var chain in wanted)
        {
            batch.AddChain(Family, Table, chain.Name, chain.Base);
        }

        foreach (var chain in wanted)
        {
            foreach (var rule in chain.Rules)
            {
                batch.AddRule(Family, Table, chain.Name, rule);
            }
        }

        Nft.Commit(batch, "installing the capture rules");
        return true;
    }

    public IReadOnlyList<string> Verify(CaptureRuleSet rules) => Verify(NftWanted.Of(rules));

    public IReadOnlyList<string> Verify(CompiledCapture compiled) => Verify(compiled.Nft);

    private List<string> Verify(NftWanted wanted) =>
        netfilter.TableExists(Family, Table) ? Differences(wanted) : [$"nftables table inet {Table} is missing"];

    public bool Remove()
    {
        if (!netfilter.TableExists(Family, Table))
        {
            return false;
        }

        Nft.Commit(Nft.Batch().DestroyTable(Family, Table), "removing the capture rules");
        return true;
    }

    public string Render(CaptureRuleSet rules) => NftCaptureScript.Render(rules, Table, Comment);

    /// <summary>How a chain's rules differ from the wanted ones, in words that cannot be read as agreement; null when they match.</summary>
    internal static string? RuleDifference(string chain, IReadOnlyList<IReadOnlyList<string>> have, IReadOnlyList<IReadOnlyList<string>> want)
    {
        var firstDifferent = Enumerable.Range(0, Math.Min(have.Count, want.Count)).FirstOrDefault(i => !have[i].SequenceEqual(want[i]), -1);
        return (have.Count, want.Count) switch
        {
            (0, > 0) => $"nftables chain {chain} is empty: all {want.Count} wanted rules are missing",
            _ when have.Count == want.Count && firstDifferent < 0 => null,
            _ when firstDifferent >= 0 => $"nftables chain {chain} holds {have.Count} rules, {want.Count} wanted; rule {firstDifferent + 1} differs",
            _ => $"nftables chain {chain} holds {have.Count} rules, {want.Count} wanted; the first {Math.Min(have.Count, want.Count)} match",
        };
    }

    private List<string> Differences(NftWanted program)
    {
        var wanted = program.Chains;
        var problems = new List<string>();
        var chains = Nft.ListChains(Family, Table).ToDictionary(c => c.Name, StringComparer.Ordinal);
        var rules = Nft.ListRules(Family, Table).ToLookup(r => r.Chain, StringComparer.Ordinal);
        for (var i = 0; i < wanted.Count; i++)
        {
            var chain = wanted[i];
            if (!chains.TryGetValue(chain.Name, out var present))
            {
                problems.Add($"nftables chain {chain.Name} of table inet {Table} is missing");
                continue;
            }

            if (chain.Base is { } hook && (present.Type != hook.Type || present.Hook != hook.Hook || present.Priority != hook.Priority || present.PolicyAccept != true))
            {
                problems.Add($"nftables chain {chain.Name} is not a {hook.Type} chain at hook {hook.Hook.ToString().ToLowerInvariant()} priority {hook.Priority} with policy accept");
            }

            var have = rules[chain.Name].Select(r => r.Expressions).ToList();
            if (RuleDifference(chain.Name, have, program.Described[i]) is { } difference)
            {
                problems.Add(difference);
            }
        }

        foreach (var extra in chains.Keys.Where(name => wanted.All(c => c.Name != name)))
        {
            problems.Add($"nftables chain {extra} of table inet {Table} is not part of this capture");
        }

        return problems;
    }
}
