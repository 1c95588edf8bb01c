using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

/// <summary>A namespace opened for <see cref="NetNsEntry.CallingThread"/>: the calling thread enters for each step and always comes back.</summary>
public sealed class CallingThreadEntryTests
{
    [RootFact]
    public void Run_CallingThreadEntry_RunsInsideOnTheCallingThreadAndComesBack()
    {
        using var test = TestNetns.Create("here");
        using var ns = NetNs.Open(test.Path, NetNsEntry.CallingThread);
        var before = NetNs.CurrentIdentity();
        var thread = Environment.CurrentManagedThreadId;

        var (inside, on) = ns.Run(() => (NetNs.CurrentIdentity(), Environment.CurrentManagedThreadId));

        Assert.Equal(ns.Identity(), inside);
        Assert.Equal(thread, on);
        Assert.Equal(before, NetNs.CurrentIdentity());
    }

    [RootFact]
    public void Run_StepThrows_RethrowsAndTheCallingThreadComesBack()
    {
        using var test = TestNetns.Create("herethrow");
        using var ns = NetNs.Open(test.Path, NetNsEntry.CallingThread);
        var before = NetNs.CurrentIdentity();

        var error = Assert.Throws<InvalidOperationException>(() => ns.Run<int>(() => throw new InvalidOperationException("inside")));

        Assert.Equal("inside", error.Message);
        Assert.Equal(before, NetNs.CurrentIdentity());
        Assert.Equal(ns.Identity(), ns.Run(NetNs.CurrentIdentity));
    }

    [RootFact]
    public void Run_NestedInTwoNamespaces_EachGoesBackToWhereItStarted()
    {
        using var first = TestNetns.Create("outer");
        using var second = TestNetns.Create("inner");
        using var outer = NetNs.Open(first.Path, NetNsEntry.CallingThread);
        using var inner = NetNs.Open(second.Path, NetNsEntry.CallingThread);
        var before = NetNs.CurrentIdentity();

        var seen = outer.Run(() => (Outer: NetNs.CurrentIdentity(), Inner: inner.Run(NetNs.CurrentIdentity), Back: NetNs.CurrentIdentity()));

        Assert.Equal(outer.Identity(), seen.Outer);
        Assert.Equal(inner.Identity(), seen.Inner);
        Assert.Equal(outer.Identity(), seen.Back);
        Assert.Equal(before, NetNs.CurrentIdentity());
    }

    [RootFact]
    public void RtnlOpenIn_CallingThreadEntry_SocketSeesOnlyThatNamespace()
    {
        using var test = TestNetns.Create("heresock");
        using var ns = NetNs.Open(test.Path, NetNsEntry.CallingThread);
        using var rtnl = Rtnl.OpenIn(ns);

        Assert.Equal(["lo"], rtnl.ListLinks().Select(l => l.Name));
    }
}
