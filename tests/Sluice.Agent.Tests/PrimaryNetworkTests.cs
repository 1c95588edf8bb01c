using System.Net;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport.Cluster;

namespace Sluice.Agent.Tests;

/// <summary>
/// Primary-network mode on a two-node cluster in namespaces: each agent writes its node's
/// sluice-bridge configuration from the Node object and routes the other node's pod CIDRs via its
/// InternalIP, so pods on different nodes reach each other with no route typed by hand.
/// </summary>
public sealed class PrimaryNetworkTests : IDisposable
{
    private readonly TwoNodeCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    private static ProcessResult Ping(string podNs, IPAddress target) =>
        ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", podNs, "ping", "-c", "1", "-W", "2", target.ToString()], inheritEnvironment: true);

    /// <summary>Routes, addresses, neighbours, forwarding and firewall of the pod and both nodes (for a failed ping's message).</summary>
    private string Diagnose(string podNs)
    {
        var text = new System.Text.StringBuilder();
        foreach (var ns in new[] { podNs, _cluster.A.Ns.Name, _cluster.B.Ns.Name })
        {
            foreach (var command in new[] { "ip -6 route", "ip -6 addr", "ip -6 neigh", "sysctl net.ipv6.conf.all.forwarding", "nft list ruleset" })
            {
                var result = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", ns, .. command.Split(' ')], inheritEnvironment: true);
                text.Append($"== {ns}: {command}\n{result.Stdout}{result.Stderr}");
            }
        }

        return text.ToString();
    }

    [Fact]
    public void TheLabLooksForTheAgentsRouteProtocol() => Assert.Equal(Sluice.Agent.Network.NodeRouteTable.Protocol, ClusterNode.RouteProtocol);

    [RootFact]
    public void Agents_WriteEachNodesPodNetworkFromItsPodCidrs_AndAcceptTheClusterInForwardBeforeAnyPod()
    {
        _cluster.StartAgents();

        var ranges = _cluster.B.WaitForConflist()["plugins"]![0]!["ipam"]!["ranges"]!.AsArray().Select(set => (string)set![0]!["subnet"]!);

        Assert.Equal(["10.246.2.0/24", "fd46:0:0:2::/64"], ranges);
        var rules = _cluster.B.Ns.Exec("nft", "list", "table", "inet", "sluice_bridge");
        Assert.Contains("elements = { 10.246.0.0/16 }", rules, StringComparison.Ordinal);
        Assert.Contains("elements = { fd46::/32 }", rules, StringComparison.Ordinal);
        string[] toB = ["10.246.2.0/24 via 10.77.0.2", "fd46:0:0:2::/64 via fd77::2"];
        string[] toA = ["10.246.1.0/24 via 10.77.0.1", "fd46:0:0:1::/64 via fd77::1"];
        _cluster.A.Wait(() => _cluster.A.SluiceRoutes().SequenceEqual(toB), $"node-a's routes: {string.Join(", ", _cluster.A.SluiceRoutes())}");
        _cluster.B.Wait(() => _cluster.B.SluiceRoutes().SequenceEqual(toA), $"node-b's routes: {string.Join(", ", _cluster.B.SluiceRoutes())}");
    }

    [RootFact]
    public void Agents_GiveSluiceBridgeTheMtuOfTheLinkHoldingTheirInternalIp_AndFollowItsChanges()
    {
        SetUnderlayMtu(_cluster.A, 1400);

        _cluster.StartAgents();

        Assert.Equal(1400, (int?)_cluster.A.WaitForConflist()["plugins"]![0]!["mtu"]);
        Assert.Equal(1500, (int?)_cluster.B.WaitForConflist()["plugins"]![0]!["mtu"]);
        var pod = _cluster.A.AddPod("web-a");
        using (var inPod = Rtnl.OpenIn(pod.NetNs))
        {
            Assert.Equal(1400, inPod.GetLink("eth0").Mtu);
        }

        Assert.Contains("pod MTU        1400 from ul0, which holds 10.77.0.1 and fd77::1\n", _cluster.A.Status().Stdout, StringComparison.Ordinal);

        SetUnderlayMtu(_cluster.A, 1300);

        _cluster.A.Wait(() => PodMtuIn(_cluster.A) == 1300, $"node-a's conflist kept mtu {PodMtuIn(_cluster.A)} after ul0 went to 1300");
    }

    [RootFact]
    public void Agents_WithPodMtuSet_WriteItWhateverTheLinksMtu()
    {
        SetUnderlayMtu(_cluster.A, 1400);

        _cluster.StartAgents(("POD_MTU", "1380"));

        Assert.Equal(1380, PodMtuIn(_cluster.A));
        Assert.Equal(1380, PodMtuIn(_cluster.B));
        Assert.Contains("pod MTU        1380 from POD_MTU\n", _cluster.B.Status().Stdout, StringComparison.Ordinal);
    }

    private static void SetUnderlayMtu(ClusterNode node, int mtu)
    {
        using var rtnl = Rtnl.OpenIn(node.NetNs);
        rtnl.SetMtu(rtnl.GetLink("ul0").Index, mtu);
    }

    private static int? PodMtuIn(ClusterNode node) => (int?)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(node.Conflist))!["plugins"]![0]!["mtu"];

    [RootFact]
    public void PodsOnTwoNodes_PingEachOtherOverBothFamilies_ThroughTheAgentsRoutes()
    {
        _cluster.StartAgents();
        var onA = _cluster.A.AddPod("web-a");
        var onB = _cluster.B.AddPod("web-b");

        Assert.True(IPNetwork.Parse("10.246.1.0/24").Contains(onA.V4), $"pod on node-a got {onA.V4}");
        Assert.True(IPNetwork.Parse("10.246.2.0/24").Contains(onB.V4), $"pod on node-b got {onB.V4}");
        foreach (var (from, to) in new[] { (onA.Ns.Name, onB.V4), (onA.Ns.Name, onB.V6), (onB.Ns.Name, onA.V4), (onB.Ns.Name, onA.V6) })
        {
            var ping = Ping(from, to);
            Assert.True(ping.ExitCode == 0, $"ping {to} from {from}: {ping}\n{Diagnose(from)}");
        }

        Assert.Equal(0, _cluster.A.DeletePod(onA).ExitCode);
        Assert.Equal(0, _cluster.B.DeletePod(onB).ExitCode);
    }

    [RootFact]
    public void DeletingNodeB_RemovesItsRoutesOnNodeA_AndPodsNoLongerReachIt()
    {
        _cluster.StartAgents();
        var onA = _cluster.A.AddPod("web-a");
        var onB = _cluster.B.AddPod("web-b");
        Assert.Equal(0, Ping(onA.Ns.Name, onB.V4).ExitCode);

        _cluster.Api.PushNodeEvent("DELETED", TwoNodeCluster.NodeB);

        _cluster.A.Wait(() => _cluster.A.SluiceRoutes().Count == 0, "node-a kept its routes to the deleted node-b");
        Assert.NotEqual(0, Ping(onA.Ns.Name, onB.V4).ExitCode);
    }

    [RootFact]
    public void NodeBMovingToAnotherPodCidr_MovesTheRouteOnNodeA()
    {
        _cluster.StartAgents();

        _cluster.Api.PushNodeEvent("MODIFIED", SampleNodes.Node("node-b", ["10.246.9.0/24"], ["10.77.0.2"]));

        _cluster.A.Wait(() => _cluster.A.SluiceRoutes().SequenceEqual(["10.246.9.0/24 via 10.77.0.2"]), "node-a did not follow node-b's new pod CIDR");
    }

    [RootFact]
    public void ARouteRemovedByHand_IsPutBackByTheResync()
    {
        _cluster.StartAgents();

        _cluster.A.Ns.Exec("ip", "route", "del", "10.246.2.0/24");

        _cluster.A.Wait(() => _cluster.A.SluiceRoutes().Contains("10.246.2.0/24 via 10.77.0.2"), "node-a did not restore its route");
    }

    [RootFact]
    public void Sigterm_KeepsConfigurationRoutesAndBinaries_AndUninstallRemovesThem()
    {
        _cluster.StartAgents();
        var onA = _cluster.A.AddPod("web-a");
        Assert.Equal(0, _cluster.A.DeletePod(onA).ExitCode);

        var log = _cluster.A.StopAgent();

        Assert.Matches(@" info sluice-bridge ADD container=ctr-web-a pod=default/web-a: ok in [0-9.]+ ms", log);
        Assert.Matches(@" info sluice-bridge DEL container=ctr-web-a pod=default/web-a: ok in [0-9.]+ ms", log);
        Assert.True(File.Exists(_cluster.A.Conflist), log);
        Assert.Equal(2, _cluster.A.SluiceRoutes().Count);
        Assert.True(File.Exists(Path.Combine(_cluster.A.BinDir, "sluice-bridge")), log);

        var uninstall = _cluster.A.Uninstall();

        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.False(File.Exists(_cluster.A.Conflist), uninstall.ToString());
        Assert.Empty(_cluster.A.SluiceRoutes());
        Assert.False(File.Exists(Path.Combine(_cluster.A.BinDir, "sluice-bridge")), uninstall.ToString());
        Assert.Contains("removed 2 routes to other nodes' pods", uninstall.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, _cluster.B.SluiceRoutes().Count);
    }
}
