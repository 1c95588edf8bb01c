using System.Net;
using System.Net.Sockets;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Nftables;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// Native nftables, one atomic batch per change, in table <c>inet sluice_bridge</c>. Per network
/// (id = hash of its name): base chain <c>post_ID</c> (nat postrouting) sends sources in set
/// <c>pods4_ID</c>/<c>pods6_ID</c> to <c>masq4_ID</c>/<c>masq6_ID</c>, which return for the cluster
/// CIDRs and multicast and masquerade the rest; base chain <c>fwd_ID</c> (filter forward) accepts
/// the cluster CIDRs. A pod is one set element per address, commented with its attachment tag.
/// </summary>
internal sealed class NftPodFirewall(Nftables nft) : IPodFirewall
{
    public const string Table = "sluice_bridge";
    private const NftFamily Family = NftFamily.Inet;
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    public string Name => "nftables";

    public void Dispose() => nft.Dispose();

    public void Add(FirewallPlan plan, PodEntry pod)
    {
        var batch = nft.Batch().AddTable(Family, Table, "sluice-bridge: pod network forwarding and masquerade");
        var families = Families.Where(f => plan.CidrsOf(f).Any() || pod.AddressesOf(f).Any()).ToList();
        if (plan.Masquerade)
        {
            AddMasquerade(batch, plan, families);
            foreach (var family in families)
            {
                var elements = pod.AddressesOf(family).Select(a => (a.GetAddressBytes(), (string?)pod.Tag)).ToList();
                if (elements.Count > 0)
                {
                    batch.AddElements(Family, Table, PodSet(plan.Id, family), elements);
                }
            }
        }

        if (plan.Forward)
        {
            AddForward(batch, plan, families);
        }

        nft.Commit(batch, $"installing pod network rules for {plan.Network}");
    }

    public int Remove(string network, Func<(string ContainerId, string IfName), bool> remove)
    {
        if (!nft.TableExists(Family, Table))
        {
            return 0;
        }

        var id = AttachmentNames.NetworkId(network);
        var batch = nft.Batch();
        var removed = 0;
        foreach (var family in Families)
        {
            var doomed = Elements(PodSet(id, family))
                .Where(e => AttachmentNames.ParseTag(e.Comment, network) is { } owner && remove(owner))
                .Select(e => e.Key)
                .ToList();
            if (doomed.Count > 0)
            {
                batch.DeleteElements(Family, Table, PodSet(id, family), doomed);
                removed += doomed.Count;
            }
        }

        if (batch.Count > 0)
        {
            nft.Commit(batch, $"removing pod entries of {network}");
        }

        return removed;
    }

    public string? Verify(FirewallPlan plan, PodEntry pod)
    {
        if (!nft.TableExists(Family, Table))
        {
            return $"nftables table inet {Table} is missing";
        }

        var chains = nft.ListChains(Family, Table).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var chain in ExpectedChains(plan, pod))
        {
            if (!chains.Contains(chain))
            {
                return $"nftables chain {chain} of table inet {Table} is missing";
            }
        }

        if (plan.Masquerade)
        {
            foreach (var family in Families)
            {
                var present = Elements(PodSet(plan.Id, family)).Where(e => e.Comment == pod.Tag).Select(e => new IPAddress(e.Key)).ToHashSet();
                var missing = pod.AddressesOf(family).FirstOrDefault(a => !present.Contains(a));
                if (missing is not null)
                {
                    return $"masquerade entry for {missing} is missing from set {PodSet(plan.Id, family)} of table inet {Table}";
                }
            }
        }

        return null;
    }

    private static IEnumerable<string> ExpectedChains(FirewallPlan plan, PodEntry pod)
    {
        if (plan.Masquerade)
        {
            yield return $"post_{plan.Id}";
            foreach (var family in Families.Where(f => pod.AddressesOf(f).Any()))
            {
                yield return MasqueradeChain(plan.Id, family);
            }
        }

        if (plan.Forward)
        {
            yield return $"fwd_{plan.Id}";
        }
    }

    private static void AddMasquerade(NftBatch batch, FirewallPlan plan, List<AddressFamily> families)
    {
        var post = $"post_{plan.Id}";
        batch.AddChain(Family, Table, post, new NftBaseChain("nat", NftHook.Postrouting, NftBaseChain.PrioritySrcNat)).FlushChain(Family, Table, post);
        foreach (var family in families)
        {
            var set = PodSet(plan.Id, family);
            var masq = MasqueradeChain(plan.Id, family);
            batch.AddSet(Family, Table, set, family == AddressFamily.InterNetwork ? NftSetKey.Ipv4Address : NftSetKey.Ipv6Address)
                .AddChain(Family, Table, masq).FlushChain(Family, Table, masq);
            foreach (var cidr in plan.CidrsOf(family).Append(FirewallPlan.Multicast(family)))
            {
                batch.AddRule(Family, Table, masq, [.. NftMatch.Family(family), .. NftMatch.Address(cidr, source: false), NftVerdict.Return]);
            }

            batch.AddRule(Family, Table, masq, [new NftCounter(), new NftMasquerade()]);
            batch.AddRule(Family, Table, post, [.. NftMatch.Family(family), .. NftMatch.AddressInSet(family, set, source: true), new NftVerdict(NftVerdictKind.Goto, masq)]);
        }
    }

    private static void AddForward(NftBatch batch, FirewallPlan plan, List<AddressFamily> families)
    {
        var chain = $"fwd_{plan.Id}";
        batch.AddChain(Family, Table, chain, new NftBaseChain("filter", NftHook.Forward, NftBaseChain.PriorityFilter)).FlushChain(Family, Table, chain);
        foreach (var family in families)
        {
            foreach (var cidr in plan.CidrsOf(family))
            {
                batch.AddRule(Family, Table, chain, [.. NftMatch.Family(family), .. NftMatch.Address(cidr, source: true), new NftCounter(), NftVerdict.Accept]);
                batch.AddRule(Family, Table, chain, [.. NftMatch.Family(family), .. NftMatch.Address(cidr, source: false), new NftCounter(), NftVerdict.Accept]);
            }
        }
    }

    private IReadOnlyList<NftElementInfo> Elements(string set)
    {
        try
        {
            return nft.ListElements(Family, Table, set);
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            return [];
        }
    }

    private static string PodSet(string id, AddressFamily family) => $"pods{(family == AddressFamily.InterNetwork ? 4 : 6)}_{id}";

    private static string MasqueradeChain(string id, AddressFamily family) => $"masq{(family == AddressFamily.InterNetwork ? 4 : 6)}_{id}";
}
