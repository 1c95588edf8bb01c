using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Portmap.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Portmap.Tests;

/// <summary>
/// sluice-portmap chained after sluice-bridge and driven by libcni (what containerd, CRI-O and
/// podman use): the portMappings capability with Go's capitalised keys, ADD, CHECK and DEL.
/// </summary>
public sealed class LibcniTests : IDisposable
{
    private readonly PortmapNode _node = new();
    private readonly TempDirectory _dir = new("libcni-portmap");

    public void Dispose()
    {
        _node.Dispose();
        _dir.Dispose();
    }

    [RootFact]
    public void ChainedAfterTheBridge_ForwardsHostPortsUntilDel()
    {
        var conflist = Conflist();
        using var pod = TestNetns.Create("lcpod");
        using var podNs = pod.Open();
        string[] mappings = ["-portmap", "8080:7100/tcp", "-portmap", "8081:7100/tcp@192.0.2.1"];

        var add = Driver("add", conflist, pod, mappings);
        Assert.True(add.ExitCode == 0, add.ToString());
        var podAddress = IPAddress.Parse(((string)JsonNode.Parse(add.Stdout)!["ips"]![0]!["address"]!).Split('/')[0]);
        using (var server = Responder.Start(podNs, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 7100)))
        {
            Assert.Equal($"web {podAddress}:7100", Probe.Tcp(_node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
            Assert.Equal($"web {podAddress}:7100", Probe.Tcp(_node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8081)));
        }

        var check = Driver("check", conflist, pod, mappings);
        Assert.True(check.ExitCode == 0, check.ToString());
        var del = Driver("del", conflist, pod, mappings);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.DoesNotContain("ctr-libcni", _node.Ruleset(), StringComparison.Ordinal);
    }

    private string Conflist()
    {
        var bridge = JsonNode.Parse(_node.BridgeConfig)!.AsObject();
        bridge.Remove("cniVersion");
        bridge.Remove("name");
        var path = _dir.Combine("net.conflist");
        File.WriteAllText(path, $$$"""
            {"cniVersion":"1.0.0","name":"{{{PortmapNode.Network}}}","plugins":[{{{bridge.ToJsonString()}}},
             {"type":"sluice-portmap","capabilities":{"portMappings":true}}]}
            """);
        return path;
    }

    private ProcessResult Driver(string command, string conflist, TestNetns pod, string[] mappings)
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = RepoPaths.BinDirectory };
        string[] args = [command, "-conflist", conflist, "-netns", pod.Path, "-id", "ctr-libcni", "-cache-dir", _dir.Combine("cache"), .. mappings];
        return ProcessRunner.RunIn(_node.NodeNs, GoTools.Path("cnidriver"), env, null, args);
    }
}
