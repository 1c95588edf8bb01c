using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class LinkChangeSocketTests : IDisposable
{
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootFact]
    public void Wait_LoSetUpInItsNamespace_ReturnsAtOnce_AndTimesOutWhenNothingChanges()
    {
        using var changes = _ns.Pod.Run(LinkChangeSocket.Open);
        Assert.False(changes.Wait(TimeSpan.FromMilliseconds(50)));

        _ns.PodRtnl.SetUp(_ns.PodRtnl.GetLink("lo").Index);

        Assert.True(changes.Wait(TimeSpan.FromSeconds(10)));
        Assert.False(changes.Wait(TimeSpan.Zero));
    }

    [RootFact]
    public void Wait_LinkChangedInAnotherNamespace_IsNotSeen()
    {
        using var changes = _ns.Pod.Run(LinkChangeSocket.Open);

        _ns.NodeRtnl.SetUp(_ns.NodeRtnl.GetLink("lo").Index);

        Assert.False(changes.Wait(TimeSpan.FromMilliseconds(100)));
    }
}
