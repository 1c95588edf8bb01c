using System.Net;
using System.Net.Sockets;
using Sluice.Firewall;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// Native nftables in table <c>inet sluice_bridge</c>. Per network (ID = hash of its name), rules
/// that never change: base chain <c>post_ID</c> (nat postrouting) masquerades sources in interval
/// set <c>src4_ID</c>/<c>src6_ID</c> going to anything outside <c>dst4_ID</c>/<c>dst6_ID</c> and
/// multicast; base chain <c>fwd_ID</c> (filter forward) accepts traffic from and to the dst set.
/// What grows is set content, one element per pod subnet. Everything is read first and only what
/// is missing or different is committed, in one atomic batch; in the steady state an ADD commits
/// nothing. (Re-adding existing chains or deleting rules is not free: the kernel then makes the
/// socket's close wait for an RCU grace period, milliseconds on every call.)
/// </summary>
internal sealed class NftPodFirewall(Nftables nft) : IPodFirewall
{
    public const string Table = FirewallComponent.BridgeTable;
    private const NftFamily Family = NftFamily.Inet;

    public string Name => "nftables";

    public void Dispose() => nft.Dispose();

    public bool Holds(string network) =>
        nft.TableExists(Family, Table) &&
        nft.ListChains(Family, Table).Any(c => c.Name.EndsWith("_" + AttachmentNames.NetworkId(network), StringComparison.Ordinal));

    public bool Ensure(FirewallPlan plan)
    {
        var batch = nft.Batch();
        var tableExists = nft.TableExists(Family, Table);
        if (!tableExists)
        {
            batch.AddTable(Family, Table, "sluice-bridge: pod network forwarding and masquerade");
        }

        var families = plan.FamiliesInUse.ToList();
        foreach (var family in families)
        {
            EnsureSet(batch, tableExists, SourceSet(plan.Id, family), family, plan.SourcesOf(family), replace: false);
            EnsureSet(batch, tableExists, DestinationSet(plan.Id, family), family, plan.DestinationsOf(family), replace: plan.DestinationsConfigured);
        }

        var chains = tableExists ? nft.ListChains(Family, Table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal) : [];
        var rules = (chains.Count == 0 ? [] : nft.ListRules(Family, Table)).ToLookup(r => r.Chain, StringComparer.Ordinal);
        foreach (var (name, baseChain, wanted) in DesiredChains(plan, families))
        {
            var current = rules[name].Select(r => r.Expressions).ToList();
            if (chains.Contains(name) && current.Count == wanted.Count &&
                current.Zip(wanted).All(pair => pair.First.SequenceEqual(NftExprText.Describe(pair.Second))))
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

            foreach (var rule in wanted)
            {
                batch.AddRule(Family, Table, name, rule);
            }
        }

        if (batch.Count == 0)
        {
            return false;
        }

        nft.Commit(batch, $"installing the firewall rules of {plan.Network}");
        return true;
    }

    public string? Verify(FirewallPlan plan)
    {
        if (!nft.TableExists(Family, Table))
        {
            return $"nftables table inet {Table} is missing";
        }

        var chains = nft.ListChains(Family, Table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var families = plan.FamiliesInUse.ToList();
        foreach (var (name, _, _) in DesiredChains(plan, families))
        {
            if (!chains.Contains(name))
            {
                return $"nftables chain {name} of table inet {Table} is missing";
            }
        }

        foreach (var family in families)
        {
            var set = SourceSet(plan.Id, family);
            var present = Networks(set) ?? [];
            foreach (var missing in plan.SourcesOf(family).Where(n => !present.Contains(n)))
            {
                return $"subnet {missing} is missing from set {set} of table inet {Table}";
            }
        }

        return null;
    }

    private void EnsureSet(NftBatch batch, bool tableExists, string set, AddressFamily family, IEnumerable<IPNetwork> wanted, bool replace)
    {
        var present = tableExists ? Networks(set) : null;
        if (present is null)
        {
            batch.AddSet(Family, Table, set, family == AddressFamily.InterNetwork ? NftSetKey.Ipv4Address : NftSetKey.Ipv6Address, interval: true);
        }

        var want = wanted.ToHashSet();
        if (replace && present is not null && !present.SetEquals(want))
        {
            batch.FlushSet(Family, Table, set);
            present = [];
        }

        var missing = want.Where(n => present is null || !present.Contains(n)).ToList();
        if (missing.Count > 0)
        {
            batch.AddNetworks(Family, Table, set, missing);
        }
    }

    private static List<(string Name, NftBaseChain Base, List<NftExpr[]> Rules)> DesiredChains(FirewallPlan plan, List<AddressFamily> families)
    {
        var chains = new List<(string, NftBaseChain, List<NftExpr[]>)>();
        if (plan.Masquerade)
        {
            var post = families.Select(family => (NftExpr[])
            [
                .. NftMatch.Family(family),
                .. NftMatch.AddressInSet(family, SourceSet(plan.Id, family), source: true),
                .. NftMatch.AddressInSet(family, DestinationSet(plan.Id, family), source: false, negate: true),
                .. NftMatch.Address(FirewallPlan.Multicast(family), source: false, negate: true),
                new NftCounter(),
                new NftMasquerade(),
            ]).ToList();
            chains.Add(($"post_{plan.Id}", new NftBaseChain("nat", NftHook.Postrouting, NftBaseChain.PrioritySrcNat), post));
        }

        if (plan.Forward)
        {
            var forward = families.SelectMany(family => new[]
            {
                (NftExpr[])[.. NftMatch.Family(family), .. NftMatch.AddressInSet(family, DestinationSet(plan.Id, family), source: true), new NftCounter(), NftVerdict.Accept],
                [.. NftMatch.Family(family), .. NftMatch.AddressInSet(family, DestinationSet(plan.Id, family), source: false), new NftCounter(), NftVerdict.Accept],
            }).ToList();
            chains.Add(($"fwd_{plan.Id}", new NftBaseChain("filter", NftHook.Forward, NftBaseChain.PriorityFilter), forward));
        }

        return chains;
    }

    private HashSet<IPNetwork>? Networks(string set)
    {
        try
        {
            return nft.ListNetworks(Family, Table, set).ToHashSet();
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            return null;
        }
    }

    private static string SourceSet(string id, AddressFamily family) => $"src{(family == AddressFamily.InterNetwork ? 4 : 6)}_{id}";

    private static string DestinationSet(string id, AddressFamily family) => $"dst{(family == AddressFamily.InterNetwork ? 4 : 6)}_{id}";
}
