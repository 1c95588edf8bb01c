using System.Net.Sockets;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class NeighbourAndRuleTests : IDisposable
{
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootFact]
    public void Neighbours_LearnedByPing_AreListedAndFlushed()
    {
        var (_, pod) = _ns.Veth(hostAddress: "10.90.0.1/24", podAddress: "10.90.0.2/24");
        _ns.PodNs.Exec("ping", "-c", "1", "-W", "2", "10.90.0.1");
        Assert.Contains(_ns.PodRtnl.ListNeighbours(pod.Index), n => n.Address.ToString() == "10.90.0.1" && n.Mac is not null);
        Assert.True(_ns.PodRtnl.FlushNeighbours(pod.Index) >= 1);
        Assert.DoesNotContain(_ns.PodRtnl.ListNeighbours(pod.Index), n => n.Address.ToString() == "10.90.0.1");
    }

    [RootTheory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void FwmarkRule_IsAddedListedAndDeleted(AddressFamily family)
    {
        var rule = new Rule(family, 0x539, 0xffffffff, 133, 32000);
        _ns.PodRtnl.AddRule(rule);
        Assert.Contains(rule, _ns.PodRtnl.ListRules(family));
        _ns.PodRtnl.DeleteRule(rule);
        Assert.DoesNotContain(rule, _ns.PodRtnl.ListRules(family));
    }
}
