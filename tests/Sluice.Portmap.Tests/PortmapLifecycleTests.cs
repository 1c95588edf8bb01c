using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Portmap.Tests.Lab;

namespace Sluice.Portmap.Tests;

/// <summary>ADD, CHECK, DEL and GC of the published sluice-portmap as a runtime calls them, in both backends.</summary>
public sealed class PortmapLifecycleTests
{
    private const string WebMapping = """[{"hostPort":8080,"containerPort":80},{"hostPort":5353,"containerPort":53,"protocol":"udp"}]""";

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Add_Twice_ChangesNothingAndCheckPasses(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        var before = node.Ruleset();

        var again = node.Portmap("ADD", web, WebMapping);
        var check = node.Portmap("CHECK", web, WebMapping);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(before, node.Ruleset());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Contains("ctr-web eth0 tcp * 8080", before, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Add_AgainWithOtherMappings_ReplacesItsDnatAndMasqueradeRules(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        node.AddPod("other", "ctr-other", """[{"hostPort":7070,"containerPort":70}]""");
        const string Moved = """[{"hostPort":9090,"containerPort":90}]""";

        var again = node.Portmap("ADD", web, Moved);

        Assert.True(again.ExitCode == 0, again.ToString());
        var rules = node.Ruleset();
        Assert.DoesNotContain("8080", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("5353", rules, StringComparison.Ordinal);
        // Each tagged with its mapping: a DNAT rule per family, and masquerades for the IPv4
        // sources 127.0.0.0/8 and the pod subnet and the IPv6 pod subnet.
        Assert.True(Regex.Count(rules, Regex.Escape("ctr-web eth0 tcp * 9090")) == 5, rules);
        Assert.Equal(5, Regex.Count(rules, Regex.Escape("ctr-other eth0 tcp * 7070")));
        var check = node.Portmap("CHECK", web, Moved);
        Assert.True(check.ExitCode == 0, check + "\n" + rules);
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Add_OfAPortAnotherPodHolds_FailsNamingThePortAndTheOwner(string backend)
    {
        using var node = new PortmapNode(backend);
        node.AddPod("web1", "ctr-web1", WebMapping);
        var second = node.NewPod("web2", "ctr-web2");
        var before = node.Ruleset();

        var add = node.Portmap("ADD", second, """[{"HostPort":8080,"ContainerPort":8000,"Protocol":"tcp"}]""");

        Assert.Equal(1, add.ExitCode);
        var error = JsonNode.Parse(add.Stdout)!;
        Assert.Equal(PortmapErrorCode.HostPortInUse, (int)error["code"]!);
        Assert.StartsWith("hostPort tcp 8080 (IPv4) is already mapped to container ctr-web1 (eth0) of network podnet", (string)error["msg"]!, StringComparison.Ordinal);
        Assert.Equal(before, node.Ruleset());

        var otherProtocol = node.Portmap("ADD", second, """[{"HostPort":8080,"ContainerPort":8000,"Protocol":"udp"}]""");
        Assert.True(otherProtocol.ExitCode == 0, otherProtocol.ToString());
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Del_WithoutNetnsOrPrevResult_RemovesTheRulesAndMayRepeat(string backend)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        var other = node.AddPod("other", "ctr-other", """[{"hostPort":9090,"containerPort":90}]""");

        // containerd's second DEL (RemovePodSandbox): no netns, no prevResult, no mappings.
        var del = node.Portmap("DEL", web, "[]", withPrevResult: false, withNetns: false);
        var again = node.Portmap("DEL", web, "[]", withPrevResult: false, withNetns: false);

        Assert.True(del.ExitCode == 0 && again.ExitCode == 0, del + "\n" + again);
        var rules = node.Ruleset();
        Assert.DoesNotContain("ctr-web ", rules, StringComparison.Ordinal);
        Assert.Contains("ctr-other eth0 tcp * 9090", rules, StringComparison.Ordinal);
        Assert.True(node.Portmap("CHECK", other, """[{"hostPort":9090,"containerPort":90}]""").ExitCode == 0);
    }

    [RootFact]
    public void Del_WithoutAnyRulesOnTheNode_Succeeds()
    {
        using var node = new PortmapNode();
        var pod = node.NewPod("web", "ctr-web");

        var del = node.Portmap("DEL", pod, WebMapping, withPrevResult: false);

        Assert.True(del.ExitCode == 0, del.ToString());
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Gc_RemovesOnlyTheMappingsOfDeadAttachments(string backend)
    {
        using var node = new PortmapNode(backend);
        node.AddPod("dead", "ctr-dead", WebMapping);
        node.AddPod("live", "ctr-live", """[{"hostPort":9090,"containerPort":90}]""");
        var config = $$"""
            {"cniVersion":"1.1.0","name":"podnet","type":"sluice-portmap","backend":"{{backend}}",
             "cni.dev/valid-attachments":[{"containerID":"ctr-live","ifname":"eth0"}]}
            """;

        var gc = node.Run("sluice-portmap", "GC", "", "", config);

        Assert.True(gc.ExitCode == 0, gc.ToString());
        var rules = node.Ruleset();
        Assert.DoesNotContain("ctr-dead", rules, StringComparison.Ordinal);
        Assert.Contains("ctr-live eth0 tcp * 9090", rules, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("nftables", "nft", "delete rule inet sluice_portmap hostports handle HANDLE")]
    [InlineData("iptables", "iptables-nft", "-t nat -F SLUICE-HOSTPORTS")]
    public void Check_AfterARuleWentMissing_FailsNamingIt(string backend, string tool, string removal)
    {
        using var node = new PortmapNode(backend);
        var web = node.AddPod("web", "ctr-web", WebMapping);
        if (tool == "nft")
        {
            var handle = node.Node.Exec("nft", "-a", "list", "chain", "inet", "sluice_portmap", "hostports")
                .Split('\n').First(l => l.Contains("8080", StringComparison.Ordinal)).Split("# handle ")[1].Trim();
            node.Node.Exec("nft", [.. removal.Replace("HANDLE", handle, StringComparison.Ordinal).Split(' ')]);
        }
        else
        {
            node.Node.Exec(tool, removal.Split(' '));
        }

        var check = node.Portmap("CHECK", web, WebMapping);

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(103, (int)JsonNode.Parse(check.Stdout)!["code"]!);
        Assert.Contains("tcp 8080 -> 10.45.0.", (string)JsonNode.Parse(check.Stdout)!["msg"]!, StringComparison.Ordinal);
    }

    [RootFact]
    public void Add_WithABadMapping_IsError7AndTouchesNothing()
    {
        using var node = new PortmapNode();
        var web = node.NewPod("web", "ctr-web");
        var before = node.Ruleset();

        var add = node.Portmap("ADD", web, """[{"hostPort":8080,"containerPort":80},{"hostPort":70000,"containerPort":80}]""");

        Assert.Equal(1, add.ExitCode);
        var error = JsonNode.Parse(add.Stdout)!;
        Assert.Equal((7, "field 'runtimeConfig.portMappings[1].hostPort' 70000 is outside 1–65535"), ((int)error["code"]!, (string)error["msg"]!));
        Assert.Equal(before, node.Ruleset());
    }

    [RootFact]
    public void Add_WithoutMappingsOrWithoutPrevResult_PassesThroughOrRefuses()
    {
        using var node = new PortmapNode();
        var web = node.NewPod("web", "ctr-web");
        var before = node.Ruleset();

        var passThrough = node.Portmap("ADD", web, "[]");
        var unchained = node.Portmap("ADD", web, WebMapping, withPrevResult: false);

        Assert.True(passThrough.ExitCode == 0, passThrough.ToString());
        Assert.Equal(web.BridgeResult.ToJsonString(), JsonNode.Parse(passThrough.Stdout)!.ToJsonString());
        Assert.Equal(7, (int)JsonNode.Parse(unchained.Stdout)!["code"]!);
        Assert.Equal(before, node.Ruleset());
    }
}
