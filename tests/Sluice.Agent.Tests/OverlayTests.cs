using System.Net;
using System.Net.Sockets;
using Sluice.Agent.Network;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;
using Sluice.TestSupport.Traffic;

namespace Sluice.Agent.Tests;

/// <summary>
/// The pod network across subnets: three nodes, two on one subnet, the third behind a router
/// (<see cref="ThreeNodeCluster"/>), with the host-gw and the VXLAN backends.
/// </summary>
public sealed class OverlayTests : IDisposable
{
    private static readonly (string, string) Vxlan = ("BACKEND", "vxlan");

    private readonly ThreeNodeCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    [RootFact]
    public void HostGw_NodeBehindARouter_IsUnreachable_AndTheAgentSaysWhy()
    {
        _cluster.StartAgents();
        var a = _cluster.A;
        a.Wait(() => a.SluiceRoutes().Count == 2, "node-a programmed no routes to node-b's pods");
        var (onA, onB, onC) = (a.AddPod("web-a"), _cluster.B.AddPod("web-b"), _cluster.C.AddPod("web-c"));

        Assert.Equal(["10.246.2.0/24 via 10.77.0.2", "fd46:0:0:2::/64 via fd77::2"], a.SluiceRoutes());
        var status = a.Status().Stdout;
        Assert.Contains("10.246.3.0/24 via 10.78.0.3 (node node-c): the InternalIP is not on a directly connected network of this node (the host-gw backend needs every node on one link; BACKEND=vxlan reaches nodes on other subnets)", status, StringComparison.Ordinal);
        AssertPings(onA, onB.V4);
        Assert.NotEqual(0, Ping(onA, onC.V4).ExitCode);
    }

    [RootFact]
    public void Vxlan_EveryPodReachesEveryPod_OverIpv4AndIpv6()
    {
        _cluster.StartAgents(Vxlan);
        WaitForRoutes(4);
        var pods = _cluster.Nodes.Select(n => n.AddPod($"web-{n.Name}")).ToList();

        foreach (var from in pods)
        {
            foreach (var to in pods.Where(p => p != from))
            {
                AssertPings(from, to.V4);
                AssertPings(from, to.V6);
            }
        }

        using var rtnl = Rtnl.OpenIn(_cluster.A.NetNs);
        var v4 = rtnl.GetLink("sluice.vxlan");
        var v6 = rtnl.GetLink("sluice.vxlan6");
        Assert.Equal((VtepMac.For("node-a", AddressFamily.InterNetwork), 1450), (v4.Mac, v4.Mtu));
        Assert.Equal((VtepMac.For("node-a", AddressFamily.InterNetworkV6), 1430), (v6.Mac, v6.Mtu));
        Assert.Equal(new VxlanSettings(1, 8472, IPAddress.Parse("10.77.0.1"), rtnl.GetLink("ul0").Index, Learning: false), v4.Vxlan);
        Assert.Equal(VxlanOverlay.OwnerAlias, v4.Alias);
        Assert.Contains("10.246.3.0/24 via 10.246.3.0 dev sluice.vxlan onlink (node node-c, VXLAN to 10.78.0.3)", _cluster.A.Status().Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void DirectRouting_SameSubnetPairUsesDirectRoutes_AndTheNodeBehindTheRouterVxlan()
    {
        _cluster.StartAgents(Vxlan, ("DIRECT_ROUTING", "true"));
        WaitForRoutes(4);
        var (onA, onB, onC) = (_cluster.A.AddPod("web-a"), _cluster.B.AddPod("web-b"), _cluster.C.AddPod("web-c"));

        Assert.Equal(
            ["10.246.2.0/24 via 10.77.0.2", "10.246.3.0/24 via 10.246.3.0", "fd46:0:0:2::/64 via fd77::2", "fd46:0:0:3::/64 via fd46:0:0:3::"],
            _cluster.A.SluiceRoutes());
        Assert.Equal(
            ["10.246.1.0/24 via 10.246.1.0", "10.246.2.0/24 via 10.246.2.0", "fd46:0:0:1::/64 via fd46:0:0:1::", "fd46:0:0:2::/64 via fd46:0:0:2::"],
            _cluster.C.SluiceRoutes());
        foreach (var (from, to) in new[] { (onA, onB), (onA, onC), (onC, onB) })
        {
            AssertPings(from, to.V4);
            AssertPings(from, to.V6);
        }
    }

    [RootFact]
    public void Vxlan_PacketsOfThePodMtuCrossWhole_OneByteMoreIsRefused_NothingIsFragmented()
    {
        _cluster.StartAgents(Vxlan);
        WaitForRoutes(4);
        var (onA, onC) = (_cluster.A.AddPod("web-a"), _cluster.C.AddPod("web-c"));
        var mtu = (int)System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(_cluster.A.Conflist))!["plugins"]![0]!["mtu"]!;
        Assert.Equal(1430, mtu);
        var fragmentsBefore = Fragments();

        AssertPings(onA, onC.V4, "-M", "do", "-s", $"{mtu - 28}");
        AssertPings(onA, onC.V6, "-M", "do", "-s", $"{mtu - 48}");
        var tooBig = Ping(onA, onC.V4, "-M", "do", "-s", $"{mtu - 27}");
        var tooBig6 = Ping(onA, onC.V6, "-M", "do", "-s", $"{mtu - 47}");
        Assert.NotEqual(0, tooBig.ExitCode);
        Assert.NotEqual(0, tooBig6.ExitCode);
        Assert.Contains($"mtu={mtu}", tooBig.Stdout + tooBig.Stderr, StringComparison.Ordinal);
        Assert.Equal(4 << 20, Transfer(onA, onC, onC.V4, 4 << 20));
        Assert.Equal(4 << 20, Transfer(onA, onC, onC.V6, 4 << 20));

        Assert.Equal(fragmentsBefore, Fragments());
    }

    [RootFact]
    public void Vxlan_DeletedNodesEntriesGo_OthersAreKept_AndHostGwRemovesTheDevices()
    {
        var a = _cluster.A;
        using (var rtnl = Rtnl.OpenIn(a.NetNs))
        {
            rtnl.AddRoute(Route.To(IPNetwork.Parse("10.99.0.0/24")) with { Gateway = IPAddress.Parse("10.77.0.254") });
        }

        _cluster.StartAgents(Vxlan);
        WaitForRoutes(4);
        Assert.Equal((2, 2), Peers(a, "sluice.vxlan"));

        _cluster.Api.PushNodeEvent("DELETED", ThreeNodeCluster.NodeC);

        a.Wait(() => a.SluiceRoutes().Count == 2 && Peers(a, "sluice.vxlan") == (1, 1) && Peers(a, "sluice.vxlan6") == (1, 1), "node-a kept node-c's routes, neighbours or forwarding entries");
        a.KillAgent();
        a.RestartAgent(("BACKEND", "host-gw"));
        a.Wait(() => a.SluiceRoutes().SequenceEqual(["10.246.2.0/24 via 10.77.0.2", "fd46:0:0:2::/64 via fd77::2"]), "node-a did not go back to host-gw routes");
        using (var rtnl = Rtnl.OpenIn(a.NetNs))
        {
            a.Wait(() => rtnl.FindLink("sluice.vxlan") is null && rtnl.FindLink("sluice.vxlan6") is null, "host-gw left the VXLAN devices in place");
            Assert.Contains(rtnl.ListRoutes(AddressFamily.InterNetwork), r => r.Destination == IPNetwork.Parse("10.99.0.0/24"));
        }
    }

    [RootFact]
    public void Vxlan_ALinkOfTheDevicesNameItDidNotCreate_IsLeftAloneAndReported_TheOtherFamilyStillWorks()
    {
        using (var rtnl = Rtnl.OpenIn(_cluster.A.NetNs))
        {
            rtnl.CreateBridge("sluice.vxlan");
        }

        _cluster.StartAgents(Vxlan);
        var a = _cluster.A;
        a.Wait(() => a.SluiceRoutes().Count(r => r.StartsWith("fd46:", StringComparison.Ordinal)) == 2, "node-a programmed no IPv6 routes over sluice.vxlan6");
        var (onA, onC) = (a.AddPod("web-a"), _cluster.C.AddPod("web-c"));

        using (var rtnl = Rtnl.OpenIn(a.NetNs))
        {
            Assert.Equal("bridge", rtnl.GetLink("sluice.vxlan").Kind);
        }

        Assert.DoesNotContain(a.SluiceRoutes(), r => r.StartsWith("10.246.", StringComparison.Ordinal));
        Assert.Contains("a link named sluice.vxlan exists that sluice-agent did not create (bridge): left alone; set VXLAN_DEVICE (the chart's primaryNetwork.vxlan.device) to a free name", a.Status().Stdout, StringComparison.Ordinal);
        AssertPings(onA, onC.V6);
    }

    [RootFact]
    public void HostPort_ThroughTheAgentsChain_ReachesAPodBehindTheRouterFromOutsideAndFromOtherNodes_UntilItsDel()
    {
        _cluster.StartAgents(Vxlan);
        WaitForRoutes(4);
        var onA = _cluster.A.AddPod("client-a");
        var web = _cluster.C.AddPod("web-c", portMappings: ["8080:80/tcp"]);
        using var server4 = Responder.Start(web.NetNs, "web-c", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80));
        using var server6 = Responder.Start(web.NetNs, "web-c6", ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Any, 80));

        foreach (var (where, ns) in new[] { ("the router", _cluster.Router), ("node-a", _cluster.A.NetNs), ("a pod on node-a", onA.NetNs) })
        {
            foreach (var nodeIp in new[] { "10.78.0.3", "fd78::3" })
            {
                var answer = Probe.Tcp(ns, new IPEndPoint(IPAddress.Parse(nodeIp), 8080));
                Assert.True(answer.StartsWith("web-c", StringComparison.Ordinal), $"{where} -> {nodeIp}:8080: {answer}");
            }
        }

        Assert.Equal(0, _cluster.C.DeletePod(web).ExitCode);
        Assert.False(Probe.Tcp(_cluster.Router, new IPEndPoint(IPAddress.Parse("10.78.0.3"), 8080)).StartsWith("web-c", StringComparison.Ordinal));
    }

    private void WaitForRoutes(int count)
    {
        foreach (var node in _cluster.Nodes)
        {
            node.Wait(() => node.SluiceRoutes().Count == count, $"{node.Name} programmed {node.SluiceRoutes().Count} routes, not {count}");
        }
    }

    /// <summary>Permanent neighbour entries and own forwarding entries on a node's device.</summary>
    private static (int Neighbours, int Forwarding) Peers(ClusterNode node, string device)
    {
        using var rtnl = Rtnl.OpenIn(node.NetNs);
        var index = rtnl.GetLink(device).Index;
        return (rtnl.ListNeighbours(index).Count(n => (n.State & 0x80) != 0), rtnl.ListForwardingEntries(index).Count(e => e.Self && e.IsPermanent));
    }

    private static ProcessResult Ping(ClusterPod from, IPAddress to, params string[] options) =>
        ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", from.Ns.Name, "ping", "-c", "1", "-W", "3", .. options, to.ToString()], inheritEnvironment: true);

    private void AssertPings(ClusterPod from, IPAddress to, params string[] options)
    {
        var ping = Ping(from, to, options);
        Assert.True(ping.ExitCode == 0, $"ping {string.Join(' ', options)} {to} from {from.Name}: {ping}\n{Diagnose()}");
    }

    /// <summary>Sends <paramref name="bytes"/> over TCP from one pod to another; returns how many arrived.</summary>
    private static long Transfer(ClusterPod from, ClusterPod to, IPAddress address, int bytes)
    {
        var listener = to.NetNs.Run(() =>
        {
            var l = new TcpListener(address, 0);
            l.Start();
            return l;
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var received = Task.Run(async () =>
        {
            using var peer = await listener.AcceptTcpClientAsync(stop.Token);
            var buffer = new byte[65536];
            long total = 0;
            int read;
            while ((read = await peer.GetStream().ReadAsync(buffer, stop.Token)) > 0)
            {
                total += read;
            }

            return total;
        });
        from.NetNs.Run(() =>
        {
            using var client = new TcpClient(address.AddressFamily);
            client.Connect(address, ((IPEndPoint)listener.LocalEndpoint).Port);
            client.GetStream().Write(new byte[bytes]);
            client.Client.Shutdown(SocketShutdown.Send);
        });
        try
        {
            return received.GetAwaiter().GetResult();
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Fragments the nodes and the router created (IPv4 FragCreates, IPv6 Ip6FragCreates).</summary>
    private List<long> Fragments() =>
        [.. _cluster.Nodes.Select(n => n.NetNs).Append(_cluster.Router).SelectMany(ns => ns.Run(() => new[] { Snmp("snmp", "FragCreates"), Snmp("snmp6", "Ip6FragCreates") }))];

    private static long Snmp(string file, string counter)
    {
        var lines = File.ReadAllLines($"/proc/thread-self/net/{file}");
        if (file == "snmp6")
        {
            return long.Parse(lines.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(p => p[0] == counter)[1], System.Globalization.CultureInfo.InvariantCulture);
        }

        var ip = lines.Where(l => l.StartsWith("Ip:", StringComparison.Ordinal)).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return long.Parse(ip[1][Array.IndexOf(ip[0], counter)], System.Globalization.CultureInfo.InvariantCulture);
    }

    private string Diagnose()
    {
        var text = new System.Text.StringBuilder();
        foreach (var node in _cluster.Nodes)
        {
            foreach (var command in new[] { "ip -d link", "ip addr", "ip route", "ip -6 route", "ip neigh", "bridge fdb show" })
            {
                var result = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", node.Ns.Name, .. command.Split(' ')], inheritEnvironment: true);
                text.Append($"== {node.Name}: {command}\n{result.Stdout}{result.Stderr}");
            }
        }

        return text.ToString();
    }
}
