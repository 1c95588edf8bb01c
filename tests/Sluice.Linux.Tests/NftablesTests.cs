using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Nftables;

namespace Sluice.Linux.Tests;

public sealed class NftablesTests : IDisposable
{
    private const string Table = "sluice_test";
    private readonly TestNetns _test = TestNetns.Create("nft");
    private readonly Namespaces.NetNs _ns;
    private readonly Nftables.Nftables _nft;

    public NftablesTests()
    {
        _ns = _test.Open();
        _nft = Nftables.Nftables.OpenIn(_ns);
    }

    public void Dispose()
    {
        _nft.Dispose();
        _ns.Dispose();
        _test.Dispose();
    }

    private static NftExpr[] MasqueradeFrom(string cidr) =>
        [.. NftMatch.Family(AddressFamily.InterNetwork), .. NftMatch.Address(IPNetwork.Parse(cidr), source: true), new NftCounter(), new NftMasquerade()];

    [RootFact]
    public void Generation_MovesWithEveryCommitWhoeverMakesIt_AndNotWithReads()
    {
        var start = _nft.Generation();
        _nft.ListTables();
        Assert.Equal(start, _nft.Generation());

        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table, "owned by tests"), "adding a table");
        var afterOurs = _nft.Generation();
        Assert.NotEqual(start, afterOurs);

        _test.Exec("nft", "add", "table", "ip", "someone_else");
        Assert.NotEqual(afterOurs, _nft.Generation());
    }

    [RootFact]
    public void NamespaceCookie_IsOneValuePerNamespace()
    {
        using var other = TestNetns.Create("nft-other");
        using var otherNs = other.Open();
        using var again = Nftables.Nftables.OpenIn(_ns);
        using var elsewhere = Nftables.Nftables.OpenIn(otherNs);

        Assert.NotNull(_nft.NamespaceCookie());
        Assert.Equal(_nft.NamespaceCookie(), again.NamespaceCookie());
        Assert.NotEqual(_nft.NamespaceCookie(), elsewhere.NamespaceCookie());
    }

    [RootFact]
    public void Batch_CreatesWhatNftLists()
    {
        var batch = _nft.Batch()
            .AddTable(NftFamily.Inet, Table, "owned by tests")
            .AddChain(NftFamily.Inet, Table, "post", new NftBaseChain("nat", NftHook.Postrouting, NftBaseChain.PrioritySrcNat))
            .AddChain(NftFamily.Inet, Table, "out", new NftBaseChain("nat", NftHook.Output, NftBaseChain.PriorityDstNat))
            .AddChain(NftFamily.Inet, Table, "plain")
            .AddSet(NftFamily.Inet, Table, "pods4", NftSetKey.Ipv4Address)
            .AddRule(NftFamily.Inet, Table, "post", MasqueradeFrom("10.22.0.0/16"), "masq pods")
            .AddRule(NftFamily.Inet, Table, "out", [.. NftMatch.Family(AddressFamily.InterNetwork), .. NftMatch.AddressInSet(AddressFamily.InterNetwork, "pods4", source: true), new NftVerdict(NftVerdictKind.Jump, "plain")])
            .AddRule(NftFamily.Inet, Table, "plain", [.. NftMatch.L4Protocol(NftMatch.ProtocolTcp), .. NftMatch.Port(554, destination: true), .. NftMatch.RedirectTo(8554)])
            .AddElements(NftFamily.Inet, Table, "pods4", [(IPAddress.Parse("10.22.0.5").GetAddressBytes(), "pod ns/a eth0")]);
        _nft.Commit(batch, "test batch");

        var listing = _test.Exec("nft", "list", "ruleset");
        Assert.Contains("table inet sluice_test", listing, StringComparison.Ordinal);
        Assert.Contains("comment \"owned by tests\"", listing, StringComparison.Ordinal);
        Assert.Contains("type nat hook postrouting priority srcnat; policy accept;", listing, StringComparison.Ordinal);
        Assert.Contains("ip saddr 10.22.0.0/16 counter packets 0 bytes 0 masquerade comment \"masq pods\"", listing, StringComparison.Ordinal);
        Assert.Contains("ip saddr @pods4 jump plain", listing, StringComparison.Ordinal);
        Assert.Contains("tcp dport 554 redirect to :8554", listing, StringComparison.Ordinal);
        Assert.Contains("10.22.0.5 comment \"pod ns/a eth0\"", listing, StringComparison.Ordinal);
    }

    [RootFact]
    public void ListRules_GivesTheSameCanonicalTextAsTheDesiredExpressions()
    {
        NftExpr[] rule =
        [
            .. NftMatch.Family(AddressFamily.InterNetworkV6), .. NftMatch.Address(IPNetwork.Parse("fd00::/64"), source: false, negate: true),
            .. NftMatch.AddressInSet(AddressFamily.InterNetworkV6, "s6", source: true), .. NftMatch.Owner(NftMetaKey.SkUid, 1337), new NftCounter(), NftVerdict.Return,
        ];
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table).AddSet(NftFamily.Inet, Table, "s6", NftSetKey.Ipv6Address).AddChain(NftFamily.Inet, Table, "c").AddRule(NftFamily.Inet, Table, "c", rule, "r1"), "test");
        var listed = Assert.Single(_nft.ListRules(NftFamily.Inet, Table, "c"));
        Assert.Equal(NftExprText.Describe(rule), listed.Expressions);
        Assert.Equal("r1", listed.Comment);
        Assert.True(listed.Handle > 0);
    }

    [RootFact]
    public void Batch_RunTwiceWithFlush_ConvergesToOneCopy()
    {
        for (var i = 0; i < 2; i++)
        {
            _nft.Commit(
                _nft.Batch().AddTable(NftFamily.Inet, Table).AddChain(NftFamily.Inet, Table, "c").FlushChain(NftFamily.Inet, Table, "c")
                    .AddRule(NftFamily.Inet, Table, "c", [NftVerdict.Accept]),
                "converge");
        }

        Assert.Single(_nft.ListRules(NftFamily.Inet, Table, "c"));
        Assert.Single(_nft.ListTables(), t => t.Name == Table);
    }

    [RootFact]
    public void FailingBatch_ChangesNothingAndNamesTheFailingChange()
    {
        var batch = _nft.Batch().AddTable(NftFamily.Inet, Table).AddChain(NftFamily.Inet, Table, "c")
            .AddRule(NftFamily.Inet, Table, "c", [.. NftMatch.AddressInSet(AddressFamily.InterNetwork, "missing_set", source: true), NftVerdict.Accept]);
        var error = Assert.Throws<LinuxException>(() => _nft.Commit(batch, "applying test rules"));
        Assert.Equal(Errno.ENOENT, error.ErrorNumber);
        Assert.Contains("applying test rules in netns", error.Message, StringComparison.Ordinal);
        Assert.Contains("adding rule to chain c of table inet sluice_test", error.Message, StringComparison.Ordinal);
        Assert.False(_nft.TableExists(NftFamily.Inet, Table));
    }

    [RootFact]
    public void Elements_AreListedWithCommentsAndDeleted()
    {
        var a = IPAddress.Parse("10.1.0.2").GetAddressBytes();
        var b = IPAddress.Parse("10.1.0.3").GetAddressBytes();
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table).AddSet(NftFamily.Inet, Table, "s", NftSetKey.Ipv4Address).AddElements(NftFamily.Inet, Table, "s", [(a, "one"), (b, "two")]), "add");
        var elements = _nft.ListElements(NftFamily.Inet, Table, "s");
        Assert.Equal(["one", "two"], elements.Select(e => e.Comment).Order());
        _nft.Commit(_nft.Batch().DeleteElements(NftFamily.Inet, Table, "s", [a]), "delete");
        Assert.Equal("two", Assert.Single(_nft.ListElements(NftFamily.Inet, Table, "s")).Comment);
        var error = Assert.Throws<LinuxException>(() => _nft.Commit(_nft.Batch().DeleteElements(NftFamily.Inet, Table, "s", [a]), "delete again"));
        Assert.Equal(Errno.ENOENT, error.ErrorNumber);
    }

    [RootFact]
    public void DestroyTable_RemovesOnlyOurTableAndIsFineWhenAbsent()
    {
        _test.Exec("nft", "add", "table", "ip", "foreign");
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table), "add");
        _nft.Commit(_nft.Batch().DestroyTable(NftFamily.Inet, Table), "destroy");
        _nft.Commit(_nft.Batch().DestroyTable(NftFamily.Inet, Table), "destroy again");
        Assert.Equal(["foreign"], _nft.ListTables().Select(t => t.Name));
    }

    [RootFact]
    public void ListChains_ReportsHooksAndPolicies()
    {
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table)
            .AddChain(NftFamily.Inet, Table, "fwd", new NftBaseChain("filter", NftHook.Forward, NftBaseChain.PriorityFilter, PolicyAccept: false))
            .AddChain(NftFamily.Inet, Table, "regular"), "add");
        var chains = _nft.ListChains(NftFamily.Inet, Table).ToDictionary(c => c.Name);
        Assert.Equal((NftHook.Forward, 0, false), (chains["fwd"].Hook!.Value, chains["fwd"].Priority!.Value, chains["fwd"].PolicyAccept!.Value));
        Assert.Null(chains["regular"].Hook);
        Assert.True(_nft.IsSupported());
    }

    [RootFact]
    public void Ipv6Elements_AreDeletedByTheKeysListed()
    {
        var a = IPAddress.Parse("fd44::2").GetAddressBytes();
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table).AddSet(NftFamily.Inet, Table, "s6", NftSetKey.Ipv6Address).AddElements(NftFamily.Inet, Table, "s6", [(a, "six")]), "add");
        var listed = Assert.Single(_nft.ListElements(NftFamily.Inet, Table, "s6"));
        Assert.Equal(a, listed.Key);
        _nft.Commit(_nft.Batch().DeleteElements(NftFamily.Inet, Table, "s6", [listed.Key]), "delete");
        Assert.Empty(_nft.ListElements(NftFamily.Inet, Table, "s6"));
    }

    [RootFact]
    public void Listing_WhileABatchIsBuilt_DoesNotDisturbTheBatch()
    {
        var a = IPAddress.Parse("10.9.0.1").GetAddressBytes();
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table).AddSet(NftFamily.Inet, Table, "s", NftSetKey.Ipv4Address).AddElements(NftFamily.Inet, Table, "s", [(a, null)]), "add");
        var batch = _nft.Batch();
        var listed = _nft.ListElements(NftFamily.Inet, Table, "s");
        batch.DeleteElements(NftFamily.Inet, Table, "s", listed.Select(e => e.Key));
        Assert.NotEmpty(_nft.ListTables());
        _nft.Commit(batch, "delete");
        Assert.Empty(_nft.ListElements(NftFamily.Inet, Table, "s"));
    }

    [RootFact]
    public void IntervalSet_MatchesWholeNetworksAndListsThemBack()
    {
        _nft.Commit(_nft.Batch().AddTable(NftFamily.Inet, Table).AddSet(NftFamily.Inet, Table, "nets", NftSetKey.Ipv4Address, interval: true)
            .AddNetworks(NftFamily.Inet, Table, "nets", [IPNetwork.Parse("10.22.0.0/16"), IPNetwork.Parse("192.168.0.0/24")]), "add");
        _nft.Commit(_nft.Batch().AddNetworks(NftFamily.Inet, Table, "nets", [IPNetwork.Parse("172.16.0.0/12")]), "add more");
        Assert.Equal(["10.22.0.0/16", "172.16.0.0/12", "192.168.0.0/24"], _nft.ListNetworks(NftFamily.Inet, Table, "nets").Select(n => n.ToString()));
        Assert.Contains("elements = { 10.22.0.0/16, 172.16.0.0/12,", _test.Exec("nft", "list", "set", "inet", Table, "nets"), StringComparison.Ordinal);
    }
}
