using System.Net;
using Sluice.Cni;
using Sluice.Ipam.Config;
using Sluice.Ipam.Store;
using static Sluice.Ipam.Tests.Settings;

namespace Sluice.Ipam.Tests;

public sealed class AddressManagerTests
{
    private readonly MemoryStore _store = new();
    private readonly AddressManager _manager;
    private readonly IpamSettings _dual = Load("""{"ranges":[[{"subnet":"10.0.0.0/24"}],[{"subnet":"fd00::/120"}]],"routes":[{"dst":"0.0.0.0/0"}]}""");

    public AddressManagerTests() => _manager = new AddressManager(_ => _store);

    private static AttachmentKey Key(string id, string ifName = "eth0") => new(id, ifName);

    [Fact]
    public void Add_GivesOneAddressPerRangeSetWithGatewayAndRoutes()
    {
        var result = _manager.Add(_dual, Key("c1"), []);
        Assert.Equal(["10.0.0.2/24", "fd00::2/120"], result.Ips!.Select(ip => ip.Address));
        Assert.Equal(["10.0.0.1", "fd00::1"], result.Ips!.Select(ip => ip.Gateway));
        Assert.All(result.Ips!, ip => Assert.Null(ip.Interface));
        Assert.Equal("0.0.0.0/0", result.Routes!.Single().Dst);
        Assert.Null(result.Interfaces);
    }

    [Fact]
    public void Add_ManyAttachments_GetDistinctAddresses()
    {
        var addresses = Enumerable.Range(0, 100).Select(i => _manager.Add(_dual, Key($"c{i}"), []).Ips![0].Address).ToList();
        Assert.Equal(100, addresses.Distinct().Count());
    }

    [Fact]
    public void Add_SecondAddForTheSameAttachment_IsRejected()
    {
        _manager.Add(_dual, Key("c1"), []);
        var error = Assert.Throws<CniException>(() => _manager.Add(_dual, Key("c1"), []));
        Assert.Equal(IpamErrorCode.DuplicateAllocation, error.Code);
        Assert.Contains("10.0.0.2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_SameContainerOtherInterface_IsAnotherAttachment()
    {
        _manager.Add(_dual, Key("c1", "eth0"), []);
        Assert.Equal("10.0.0.3/24", _manager.Add(_dual, Key("c1", "net1"), []).Ips![0].Address);
    }

    [Fact]
    public void Add_AfterDel_ContinuesRoundRobinInsteadOfReusingAtOnce()
    {
        _manager.Add(_dual, Key("c1"), []);
        _manager.Del(_dual, Key("c1"));
        Assert.Equal("10.0.0.3/24", _manager.Add(_dual, Key("c2"), []).Ips![0].Address);
    }

    [Fact]
    public void Add_NormalCase_ProbesAConstantNumberOfAddresses()
    {
        var settings = Load("""{"ranges":[[{"subnet":"10.0.0.0/16"}]]}""");
        for (var i = 0; i < 250; i++)
        {
            _manager.Add(settings, Key($"c{i}"), []);
        }

        _store.Probes = 0;
        _manager.Add(settings, Key("late"), []);
        Assert.Equal(1, _store.Probes);
    }

    [Fact]
    public void Add_RequestedAddress_IsAllocatedWhenFree()
    {
        var result = _manager.Add(_dual, Key("c1"), [IPAddress.Parse("10.0.0.77")]);
        Assert.Equal("10.0.0.77/24", result.Ips![0].Address);
        Assert.Equal("fd00::2/120", result.Ips[1].Address);
    }

    [Fact]
    public void Add_RequestedAddressTaken_FailsWithAddressInUseNamingTheOwner()
    {
        _manager.Add(_dual, Key("c1"), [IPAddress.Parse("10.0.0.77")]);
        var error = Assert.Throws<CniException>(() => _manager.Add(_dual, Key("c2"), [IPAddress.Parse("10.0.0.77")]));
        Assert.Equal(IpamErrorCode.AddressInUse, error.Code);
        Assert.Contains("c1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_store.Records, r => r.Value?.ContainerId == "c2");
        Assert.False(_store.Index.ContainsKey(Key("c2")));
    }

    [Theory]
    [InlineData("192.168.1.1", "in none of the ranges")]
    [InlineData("10.0.0.1", "is the gateway")]
    public void Add_RequestedAddressUnusable_FailsWithCode7(string address, string fragment)
    {
        var error = Assert.Throws<CniException>(() => _manager.Add(_dual, Key("c1"), [IPAddress.Parse(address)]));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_TwoRequestedAddressesInOneRangeSet_Fails() =>
        Assert.Throws<CniException>(() => _manager.Add(_dual, Key("c1"), [IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")]));

    [Fact]
    public void Add_WhenPoolIsExhausted_FailsWithTryAgainLater()
    {
        var tiny = Load("""{"ranges":[[{"subnet":"10.0.0.0/30"}]]}""");
        _manager.Add(tiny, Key("c1"), []);
        var error = Assert.Throws<CniException>(() => _manager.Add(tiny, Key("c2"), []));
        Assert.Equal(CniErrorCode.TryAgainLater, error.Code);
        Assert.Contains("no free address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_WhenTheSecondRangeSetFails_ReleasesTheFirst()
    {
        _store.FailReserve = address => address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        Assert.Throws<IOException>(() => _manager.Add(_dual, Key("c1"), []));
        Assert.Empty(_store.Records);
        Assert.Empty(_store.Index);
    }

    [Fact]
    public void Del_ReleasesOnlyThatAttachmentAndIsIdempotent()
    {
        _manager.Add(_dual, Key("c1"), []);
        _manager.Add(_dual, Key("c2"), []);
        Assert.Equal(2, _manager.Del(_dual, Key("c1")).Count);
        Assert.Empty(_manager.Del(_dual, Key("c1")));
        Assert.Empty(_manager.Del(_dual, Key("never-added")));
        Assert.Equal(2, _store.Records.Count);
        Assert.All(_store.Records.Values, owner => Assert.Equal("c2", owner!.Value.ContainerId));
    }

    [Fact]
    public void Del_DoesNotReleaseAnAddressSomeoneElseNowHolds()
    {
        _manager.Add(_dual, Key("c1"), []);
        // A stale index entry claims c2's address (e.g. host-local rewrote the store in between).
        _manager.Add(_dual, Key("c2"), []);
        _store.Index[Key("c1")] = [IPAddress.Parse("10.0.0.3")];
        Assert.Empty(_manager.Del(_dual, Key("c1")));
        Assert.Equal("c2", _store.Records[IPAddress.Parse("10.0.0.3")]!.Value.ContainerId);
    }

    [Fact]
    public void Add_AfterAKilledAdd_ReusesTheAttachmentWithoutError()
    {
        // An ADD killed after writing its intent, before reserving: only the index entry exists.
        _store.Index[Key("c1")] = [IPAddress.Parse("10.0.0.2")];
        Assert.Equal("10.0.0.2/24", _manager.Add(_dual, Key("c1"), []).Ips![0].Address);
    }

    [Fact]
    public void Check_PassesAfterAddAndFailsAfterDel()
    {
        var result = _manager.Add(_dual, Key("c1"), []);
        _manager.Check(_dual, Key("c1"), result);
        _manager.Del(_dual, Key("c1"));
        var error = Assert.Throws<CniException>(() => _manager.Check(_dual, Key("c1"), result));
        Assert.Equal(CniErrorCode.UnknownContainer, error.Code);
    }

    [Fact]
    public void Check_FailsWhenPrevResultNamesAnAddressWeDoNotHold()
    {
        var result = _manager.Add(_dual, Key("c1"), []);
        result.Ips![0].Address = "10.0.0.99/24";
        var error = Assert.Throws<CniException>(() => _manager.Check(_dual, Key("c1"), result));
        Assert.Contains("10.0.0.99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Gc_ReleasesEverythingNotInTheValidSetAndKeepsTheRest()
    {
        _manager.Add(_dual, Key("keep"), []);
        _manager.Add(_dual, Key("drop"), []);
        _store.Records[IPAddress.Parse("10.0.0.200")] = new StoredOwner("legacy", null);
        _store.Records[IPAddress.Parse("10.0.0.201")] = null;
        var report = _manager.Gc(_dual, [Key("keep")]);
        Assert.Equal(4, report.Released.Count);
        Assert.Empty(report.Errors);
        Assert.Equal(2, _store.Records.Count);
        Assert.Equal([Key("keep")], _store.Index.Keys);
    }

    [Fact]
    public void Gc_IndexesValidAllocationsItFindsWithoutIndexEntries()
    {
        _store.Records[IPAddress.Parse("10.0.0.9")] = new StoredOwner("hl", "eth0");
        _manager.Gc(_dual, [Key("hl")]);
        Assert.Equal([IPAddress.Parse("10.0.0.9")], _store.Index[Key("hl")]);
        Assert.Single(_manager.Del(_dual, Key("hl")));
    }

    [Fact]
    public void FirstUseOfAStore_IndexesWhatIsThere()
    {
        _store.IsIndexed = false;
        _store.Records[IPAddress.Parse("10.0.0.9")] = new StoredOwner("hl", "eth0");
        _manager.Add(_dual, Key("c1"), []);
        Assert.True(_store.IsIndexed);
        Assert.Equal([IPAddress.Parse("10.0.0.9")], _manager.Del(_dual, Key("hl")));
    }

    [Fact]
    public void Status_IsFineWithFreeAddressesAndCode50WhenExhausted()
    {
        var tiny = Load("""{"ranges":[[{"subnet":"10.0.0.0/30"}]]}""");
        _manager.Status(tiny);
        _manager.Add(tiny, Key("c1"), []);
        var error = Assert.Throws<CniException>(() => _manager.Status(tiny));
        Assert.Equal(CniErrorCode.PluginNotAvailable, error.Code);
        Assert.Contains("exhausted", error.Message, StringComparison.Ordinal);
    }
}
