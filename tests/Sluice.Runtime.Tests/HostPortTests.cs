using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Runtime.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Runtime.Tests;

/// <summary>
/// hostPort through containerd's CRI, kubelet's path: the pod's port_mappings reach the plugin that
/// declares the portMappings capability (sluice-portmap chained, or sluice-bridge itself as
/// sluice-agent writes it; containerd writes the keys capitalised), and the sandbox's stop and
/// removal take the mapping away.
/// </summary>
public sealed class HostPortTests
{
    [RootTheory]
    [InlineData("sluice-portmap")]
    [InlineData("sluice-bridge")]
    public void RunPodSandbox_WithPortMappings_ForwardsTheHostPortUntilTheSandboxIsStopped(string mapper)
    {
        // sluice-bridge: the shape sluice-agent writes, the bridge declaring the capability itself.
        using var node = CriNode.Start(hostPortsInBridge: mapper == "sluice-bridge");
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Plain(CriNode.PodNamespace, "web"));
        var mappings = new JsonArray { new JsonObject { ["protocol"] = "TCP", ["container_port"] = 80, ["host_port"] = 8080 } };

        var id = node.RunPod("web", mappings);
        var status = node.Cri.Status(id);
        var v4 = status.Ips.First(ip => ip.AddressFamily == AddressFamily.InterNetwork);
        using (var pod = NetNs.Open(status.NetnsPath))
        using (Responder.Start(pod, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80)))
        {
            var gateway = new IPEndPoint(IPAddress.Parse(CriNode.Gateway4), 8080);
            Assert.True(Probe.Tcp(node.NodeNs, gateway) == $"web {v4}:80", node.Diagnostics());
            Assert.Equal($"web {v4}:80", Probe.Tcp(node.NodeNs, new IPEndPoint(IPAddress.Loopback, 8080)));
        }

        var add = Assert.Single(node.Calls.Of(mapper, "ADD"));
        Assert.True(add.HasPrevResult == (mapper == "sluice-portmap"), node.Calls.Text());
        Assert.Equal(mapper == "sluice-portmap" ? 1 : 0, node.Calls.Of("sluice-portmap", "ADD").Count);
        Assert.Contains(id, node.Node.Exec("nft", "list", "table", "inet", "sluice_portmap"), StringComparison.Ordinal);

        node.Cri.StopPodSandbox(id);
        node.Cri.RemovePodSandbox(id);

        Assert.DoesNotContain(id, node.Node.Exec("nft", "list", "table", "inet", "sluice_portmap"), StringComparison.Ordinal);
        Assert.Equal("refused", Probe.Tcp(node.NodeNs, new IPEndPoint(IPAddress.Parse(CriNode.Gateway4), 8080)));
        Assert.Equal(2, node.Calls.Of(mapper, "DEL").Count);
    }

    [RootFact]
    public void RunPodSandbox_SecondPodOnATakenHostPort_FailsNamingTheOwner()
    {
        using var node = CriNode.Start();
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Plain(CriNode.PodNamespace, "web"));
        node.Api.SetPod(CriNode.PodNamespace, "copy", SamplePods.Plain(CriNode.PodNamespace, "copy"));
        var mappings = new JsonArray { new JsonObject { ["protocol"] = "TCP", ["container_port"] = 80, ["host_port"] = 8080 } };
        var first = node.RunPod("web", mappings);

        var error = Assert.Throws<InvalidOperationException>(() => node.RunPod("copy", mappings.DeepClone().AsArray()));

        Assert.Contains($"hostPort tcp 8080 (IPv4) is already mapped to container {first} (eth0)", error.Message, StringComparison.Ordinal);
    }
}
