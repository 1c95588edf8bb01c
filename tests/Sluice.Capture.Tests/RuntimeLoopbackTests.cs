using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Capture.Tests;

/// <summary>
/// The passthrough address ::6 goes on lo no sooner than the settling time after lo came up, also
/// when lo was already up as the watch started (containerd's loopback plugin may have brought it up
/// a moment before and not listed it yet). Checked with the kernel's own creation stamps of lo's
/// ::1 and of ::6, which count hundredths of a second: 20 ms apart or more is two or more.
/// </summary>
public sealed class RuntimeLoopbackTests : IDisposable
{
    private static readonly IPAddress Passthrough = IPAddress.Parse("::6");

    private readonly TestNetns _pod = TestNetns.Create("rlo");
    private readonly NetNs _netns;
    private readonly Rtnl _rtnl;

    public RuntimeLoopbackTests()
    {
        _netns = _pod.Open();
        _rtnl = Rtnl.OpenIn(_netns);
    }

    public void Dispose()
    {
        _rtnl.Dispose();
        _netns.Dispose();
        _pod.Dispose();
    }

    [RootFact]
    public void LoUpAMomentBeforeTheWatch_PassthroughAddressGoesOnTheSettlingTimeAfterLoCameUp()
    {
        var lo = _rtnl.GetLink("lo");
        _rtnl.SetUp(lo.Index);

        using var watch = RuntimeLoopback.Watch(_rtnl, RuntimeLoopback.DefaultPatience, RuntimeLoopback.DefaultSettle);
        SkipWhenLoWasNotRecent(lo.Index);
        watch.AwaitRuntime();
        _rtnl.AddAddress(lo.Index, Passthrough, 128, AddressFlags.NoDad);

        var (loopback, passthrough) = Stamps(lo.Index);
        Assert.True(passthrough - loopback >= 2, $"::1 stamped {loopback}, ::6 {passthrough}: less than 20 ms apart");
        Assert.Contains("by the kernel's stamp of its ::1", watch.Outcome, StringComparison.Ordinal);
    }

    [RootFact]
    public void LoUpAMomentBeforeTheWatch_RuntimeLoopbackResultAlreadyCached_NoSettlingWait()
    {
        // libcni caches the loopback network's result once the loopback plugin has succeeded.
        using var cache = new TempDirectory("rlo-cache");
        var result = cache.Combine("cni-loopback-ctr-1-lo");
        File.WriteAllText(result, "{}");
        var lo = _rtnl.GetLink("lo");
        _rtnl.SetUp(lo.Index);

        using var watch = RuntimeLoopback.Watch(_rtnl, RuntimeLoopback.DefaultPatience, RuntimeLoopback.DefaultSettle, result);
        SkipWhenLoWasNotRecent(lo.Index);
        watch.AwaitRuntime();

        Assert.Contains("the runtime's loopback network had finished,", watch.Outcome, StringComparison.Ordinal);
    }

    [RootFact]
    public void LoUpAMomentBeforeTheWatch_RuntimeFinishesItsStepBeforeTheChain_NoSettlingWait()
    {
        // CRI-O brings lo up and checks its addresses in its own process before any network runs.
        var lo = _rtnl.GetLink("lo");
        _rtnl.SetUp(lo.Index);

        using var watch = RuntimeLoopback.Watch(_rtnl, RuntimeLoopback.DefaultPatience, RuntimeLoopback.DefaultSettle, order: RuntimeLoopbackOrder.BeforeChain);
        watch.AwaitRuntime();

        Assert.False(watch.WasDown);
        Assert.Equal("lo was up, and the runtime finishes its loopback step before the chain: no wait", watch.Outcome);
    }

    [RootFact]
    public void LoDown_RuntimeSaidToFinishItsStepBeforeTheChain_StillWaitsForLoToComeUp()
    {
        // A lo still down was not brought up by such a runtime: its step, whoever's, is still to come.
        using var watch = RuntimeLoopback.Watch(_rtnl, TimeSpan.FromMilliseconds(200), RuntimeLoopback.DefaultSettle, order: RuntimeLoopbackOrder.BeforeChain);
        watch.AwaitRuntime();

        Assert.True(watch.WasDown);
        Assert.True(watch.GaveUp);
        Assert.StartsWith("lo was down and nothing brought it up within 200 ms", watch.Outcome, StringComparison.Ordinal);
    }

    [RootFact]
    public void LoUpLongBeforeTheWatch_NothingToWaitFor()
    {
        var lo = _rtnl.GetLink("lo");
        _rtnl.SetUp(lo.Index);
        Thread.Sleep(RuntimeLoopback.DefaultSettle + TimeSpan.FromMilliseconds(60));

        using var watch = RuntimeLoopback.Watch(_rtnl, RuntimeLoopback.DefaultPatience, RuntimeLoopback.DefaultSettle);
        watch.AwaitRuntime();

        Assert.False(watch.WasDown);
        Assert.Null(watch.Outcome);
    }

    /// <summary>A machine so busy that lo was already old by the stamp when the watch looked has nothing to show here.</summary>
    private void SkipWhenLoWasNotRecent(int loIndex)
    {
        var stamp = Assert.Single(_rtnl.ListAddresses(loIndex, AddressFamily.InterNetworkV6), a => a.Address.Equals(IPAddress.IPv6Loopback)).CreatedStamp;
        var age = stamp is { } value ? AddressStamp.MinimumAge(value) : null;
        Assert.SkipWhen(age >= RuntimeLoopback.DefaultSettle, $"lo was {age} old by the time the watch started: the machine is too busy to show the wait");
    }

    /// <summary>The creation stamps of lo's ::1 and ::6.</summary>
    private (uint Loopback, uint Passthrough) Stamps(int loIndex)
    {
        var addresses = _rtnl.ListAddresses(loIndex, AddressFamily.InterNetworkV6);
        uint StampOf(IPAddress address) => Assert.Single(addresses, a => a.Address.Equals(address)).CreatedStamp ?? throw new InvalidOperationException($"{address} has no creation stamp");
        return (StampOf(IPAddress.IPv6Loopback), StampOf(Passthrough));
    }
}
