using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Linux.Rtnetlink;
using Sluice.Portmap.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Portmap.Tests;

/// <summary>
/// sluice-bridge mapping its pods' hostPorts itself (the portMappings capability in its own
/// configuration, no sluice-portmap after it): the same rules, made, checked, removed and
/// collected by the bridge's ADD, CHECK, DEL and GC, in both backends.
/// </summary>
public sealed class BridgeHostPortTests
{
    private const string WebMapping = """[{"hostPort":8080,"containerPort":80},{"hostPort":5353,"containerPort":53,"protocol":"udp"}]""";

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void HostPort_MappedByTheBridge_ReachesThePodFromOutsideAndFromItself(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPodMappedByBridge("web", "ctr-web", WebMapping);
        using var server = Responder.Start(web.Ns, "web", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80), reportPeer: true);

        Assert.Equal($"web {web.V4}:80 from {PortmapNode.OutsideV4}", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        Assert.Equal($"web {web.V4}:80 from {PortmapNode.GatewayV4}", Probe.Tcp(web.Ns, new IPEndPoint(PortmapNode.NodeV4, 8080)));
        var check = node.BridgeMapping("CHECK", web, WebMapping);
        Assert.True(check.ExitCode == 0, check + "\n" + node.Ruleset());
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Del_RemovesThePodsMappings_AndTheSameRulesAsSluicePortmapMakes(string backend)
    {
        using var node = new PortmapNode(backend);
        var chained = node.AddPod("chained", "ctr-web", WebMapping);
        var asChained = node.Ruleset();
        node.Remove(chained, WebMapping);
        var web = node.AddPodMappedByBridge("web", "ctr-web", WebMapping);

        // Same owner, the same rules but for the pod's addresses (IPAM hands out the next ones).
        Assert.Equal(
            asChained.Replace(chained.V4.ToString(), web.V4.ToString(), StringComparison.Ordinal).Replace(chained.V6.ToString(), web.V6.ToString(), StringComparison.Ordinal),
            node.Ruleset());
        var del = node.BridgeMapping("DEL", web, WebMapping);

        Assert.True(del.ExitCode == 0, del.ToString());
        var rules = node.Ruleset();
        Assert.DoesNotContain("ctr-web", rules, StringComparison.Ordinal);
        Assert.Equal("refused", Probe.Tcp(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 8080)));
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Add_OfAPortAnotherPodHolds_FailsAndLeavesNoInterfaceAddressOrRuleBehind(string backend)
    {
        using var node = new PortmapNode(backend);
        node.AddPodMappedByBridge("web1", "ctr-web1", WebMapping);
        var second = node.StartPod("web2", "ctr-web2");
        var rules = node.Ruleset();

        var add = node.BridgeMapping("ADD", second, """[{"hostPort":8080,"containerPort":8000}]""");

        Assert.Equal(1, add.ExitCode);
        var error = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(PortmapErrorCode.HostPortInUse, (int)error["code"]!);
        Assert.StartsWith("hostPort tcp 8080 (IPv4) is already mapped to container ctr-web1 (eth0) of network podnet", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Equal(rules, node.Ruleset());
        using (var pod = Rtnl.OpenIn(second.Ns))
        {
            Assert.Null(pod.FindLink("eth0"));
        }

        Assert.False(StoreHolds(node, "ctr-web2"), "the failed ADD kept its addresses");
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Check_AfterSluicePortmapRemovedTheMappings_FailsNamingWhatIsMissing(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPodMappedByBridge("web", "ctr-web", WebMapping);
        var removedByPortmap = node.Portmap("DEL", web, WebMapping, withPrevResult: false);
        Assert.True(removedByPortmap.ExitCode == 0, removedByPortmap.ToString());

        var check = node.BridgeMapping("CHECK", web, WebMapping);

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("CHECK failed:", (string)JsonNode.Parse(check.Stdout)!["msg"]!, StringComparison.Ordinal);
        Assert.Contains("8080", (string)JsonNode.Parse(check.Stdout)!["msg"]!, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Gc_RemovesTheMappingsOfDeadAttachmentsOnly(string backend)
    {
        using var node = new PortmapNode(backend);
        node.AddPodMappedByBridge("dead", "ctr-dead", WebMapping);
        node.AddPodMappedByBridge("live", "ctr-live", """[{"hostPort":9090,"containerPort":90}]""");
        var config = node.BridgeConfigWith("""
            ,"capabilities":{"portMappings":true},"cni.dev/valid-attachments":[{"containerID":"ctr-live","ifname":"eth0"}]
            """).Replace("\"1.0.0\"", "\"1.1.0\"", StringComparison.Ordinal);

        var gc = node.Run("sluice-bridge", "GC", "", "", config);

        Assert.True(gc.ExitCode == 0, gc.ToString());
        var rules = node.Ruleset();
        Assert.DoesNotContain("ctr-dead", rules, StringComparison.Ordinal);
        Assert.Contains("ctr-live eth0 tcp * 9090", rules, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Del_AsContainerdsSecondDel_RemovesTheMappingsSluicePortmapMadeBeforeTheUpgrade(string backend)
    {
        using var node = new PortmapNode(backend);
        node.AddPod("web", "ctr-web", WebMapping);

        // No netns, no prevResult, no runtimeConfig: only the capability says the bridge maps hostPorts.
        var del = node.Run("sluice-bridge", "DEL", "ctr-web", "", node.BridgeConfigWith(""","capabilities":{"portMappings":true}"""));

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.DoesNotContain("ctr-web", node.Ruleset(), StringComparison.Ordinal);
        Assert.False(StoreHolds(node, "ctr-web"), "the addresses were not released");
    }

    [RootTheory]
    [InlineData("nftables", "sluice_portmap")]
    [InlineData("iptables", "SLUICE-HOSTPORTS")]
    public void Add_WithTheCapabilityButNoMappings_TouchesNoHostPortRules(string backend, string hostPortRules)
    {
        using var node = new PortmapNode(backend);

        var pod = node.AddPodMappedByBridge("plain", "ctr-plain", "[]");
        var del = node.BridgeMapping("DEL", pod, "[]");

        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.DoesNotContain(hostPortRules, node.Ruleset(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Del_WhenTheMappingsCannotBeRemoved_KeepsTheAddressesAndFails_AndTheNextDelReleasesBoth()
    {
        using var node = new PortmapNode("iptables");
        var web = node.AddPodMappedByBridge("web", "ctr-web", WebMapping);

        // The iptables tools fail in the DEL's own mount namespace (xtables-nft-multi is /bin/false there).
        var failed = ProcessRunner.RunIn(
            node.NodeNs,
            "/usr/bin/unshare",
            new CniInvocation("DEL", "ctr-web", web.Path, "eth0", "", RepoPaths.BinDirectory).Environment(),
            node.BridgeMappingConfig(WebMapping),
            ["--mount", "--propagation", "private", "/bin/sh", "-c", "mount --bind /bin/false /usr/sbin/xtables-nft-multi && exec \"$0\"", RepoPaths.Binary("sluice-bridge")]);

        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("hostPort mappings:", (string)JsonNode.Parse(failed.Stdout)!["msg"]!, StringComparison.Ordinal);
        Assert.Contains("ctr-web eth0 tcp * 8080", node.Ruleset(), StringComparison.Ordinal);
        Assert.True(StoreHolds(node, "ctr-web"), "the addresses were released while rules still forward to them");

        var retried = node.BridgeMapping("DEL", web, WebMapping);
        Assert.True(retried.ExitCode == 0, retried.ToString());
        Assert.DoesNotContain("ctr-web", node.Ruleset(), StringComparison.Ordinal);
        Assert.False(StoreHolds(node, "ctr-web"), "the retried DEL did not release the addresses");
    }

    /// <summary>Whether the IPAM store still holds an address for the container.</summary>
    private static bool StoreHolds(PortmapNode node, string containerId) =>
        Directory.EnumerateFiles(node.IpamNetworkDir, "*", SearchOption.AllDirectories)
            .Any(file => !Path.GetFileName(file).StartsWith('.') && File.ReadAllText(file).Contains(containerId, StringComparison.Ordinal));
}
