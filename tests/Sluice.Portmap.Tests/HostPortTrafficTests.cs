using System.Net;
using System.Net.Sockets;
using Sluice.Portmap.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Portmap.Tests;

/// <summary>
/// Traffic through a hostPort, in both backends: from outside the node (the client's address kept),
/// from the node itself by its address and by 127.0.0.1, from the pod to its own hostPort
/// (hairpin), from another pod on the node, and over IPv6.
/// </summary>
public sealed class HostPortTrafficTests
{
    private const string WebMapping = """[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp"}]""";

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void HostPort_FromOutsideTheNode_ReachesThePodWithTheClientsAddress(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80), reportPeer: true);

        var answer = Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080));

        Assert.True(answer == $"web {web.V4}:80 from {PortmapNode.OutsideV4}", answer + "\n" + node.Ruleset());
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void HostPort_FromTheNodeItself_ReachesThePodByNodeAddressAndLoopback(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80), reportPeer: true);

        Assert.Equal($"web {web.V4}:80 from {PortmapNode.NodeV4}", Probe.Tcp(node.NodeNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        Assert.Equal($"web {web.V4}:80 from {PortmapNode.GatewayV4}", Probe.Tcp(node.NodeNs, new IPEndPoint(IPAddress.Loopback, 8080)));
        Assert.Equal("1", node.Node.Exec("sysctl", "-n", "net.ipv4.conf.sluice0.route_localnet").Trim());
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void HostPort_FromThePodItselfAndFromItsNeighbour_IsMasqueradedSoAnswersComeBack(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        var client = node.NewPod("client", "ctr-client");
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80), reportPeer: true);

        Assert.Equal($"web {web.V4}:80 from {PortmapNode.GatewayV4}", Probe.Tcp(web.Ns, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        Assert.Equal($"web {web.V4}:80 from {PortmapNode.GatewayV4}", Probe.Tcp(client.Ns, new IPEndPoint(PortmapNode.NodeV4, 8080)));
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void HostPort_OverIpv6_ReachesThePodsIpv6Address(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        using var server = Responder.Start(web.Ns, "web6", ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Any, 80), reportPeer: true);

        Assert.Equal($"web6 [{web.V6}]:80 from 2001:db8:2::2", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV6, 8080)));
        Assert.Equal($"web6 [{web.V6}]:80 from fd45::1", Probe.Tcp(web.Ns, new IPEndPoint(PortmapNode.NodeV6, 8080)));
    }

    [RootFact]
    public void HostPort_WithAHostIp_TakesOnlyThatAddress()
    {
        using var node = new PortmapNode();
        var web = node.AddPod("web", "ctr-web", """[{"hostPort":8080,"containerPort":80,"hostIP":"192.0.2.1"}]""");
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80));

        Assert.Equal($"web {web.V4}:80", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        Assert.Equal("refused", Probe.Tcp(node.NodeNs, new IPEndPoint(PortmapNode.GatewayV4, 8080)));
        Assert.Equal("refused", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV6, 8080)));
    }

    [RootFact]
    public void HostPort_WithSnatOff_LeavesSourcesAloneAndLoopbackUnreachable()
    {
        using var node = new PortmapNode();
        var web = node.AddPod("web", "ctr-web", WebMapping, extra: ",\"snat\":false");
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80), reportPeer: true);

        Assert.Equal($"web {web.V4}:80 from {PortmapNode.OutsideV4}", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        Assert.DoesNotContain("web", Probe.Tcp(node.NodeNs, new IPEndPoint(IPAddress.Loopback, 8080)), StringComparison.Ordinal);
    }
}
