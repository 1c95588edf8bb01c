using System.Text.Json.Nodes;

namespace Sluice.Bridge.Tests;

public sealed class LifecycleTests : IDisposable
{
    private readonly Testbed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static int Code(ProcessResult result) => (int)JsonNode.Parse(result.Stdout)!["code"]!;

    /// <summary>No link, address or firewall trace of any pod (the network's own rules stay, like its bridge).</summary>
    private void AssertNodeClean()
    {
        Assert.Equal(["lo", "sluice0"], _bed.NodeLinksSettled(["lo", "sluice0"]));
        Assert.Empty(_bed.Allocations());
        Assert.DoesNotContain("ctr-", _bed.Firewall(), StringComparison.Ordinal);
    }

    [RootFact]
    public void Add_ReturnsBridgeHostVethAndPodInterfaceWithAddressesOnThePod()
    {
        var pod = _bed.NewPod();
        var result = _bed.Add(pod, "ctr-1");
        var interfaces = result["interfaces"]!.AsArray();
        Assert.Equal("sluice0", (string?)interfaces[0]!["name"]);
        Assert.Matches("^veth[0-9a-f]{8}$", (string?)interfaces[1]!["name"]);
        Assert.Null(interfaces[1]!["sandbox"]);
        Assert.Equal(("eth0", pod.Path), ((string?)interfaces[2]!["name"], (string?)interfaces[2]!["sandbox"]));
        Assert.All(result["ips"]!.AsArray(), ip => Assert.Equal(2, (int)ip!["interface"]!));
        Assert.Equal(["0.0.0.0/0", "::/0"], result["routes"]!.AsArray().Select(r => (string)r!["dst"]!));
        Assert.Contains("10.44.0.1/24", _bed.Node.Exec("ip", "addr", "show", "sluice0"), StringComparison.Ordinal);
        Assert.Equal("1", _bed.Node.Exec("sysctl", "-n", "net.ipv4.ip_forward").Trim());
        Assert.Equal("1", _bed.Node.Exec("sysctl", "-n", "net.ipv6.conf.all.forwarding").Trim());
        Assert.Contains("nodad", pod.Exec("ip", "-6", "addr", "show", "eth0"), StringComparison.Ordinal);
        Assert.Equal(("1", "0"), (pod.Exec("sysctl", "-n", "net.ipv4.conf.eth0.arp_notify").Trim(), pod.Exec("sysctl", "-n", "net.ipv6.conf.eth0.accept_dad").Trim()));
        Assert.Equal("1", _bed.Node.Exec("sysctl", "-n", $"net.ipv6.conf.{(string)interfaces[1]!["name"]!}.disable_ipv6").Trim());
    }

    [RootTheory]
    [InlineData("0.3.1")]
    [InlineData("0.4.0")]
    [InlineData("1.0.0")]
    public void Add_PrintsTheResultInTheConfigVersion(string version)
    {
        var result = _bed.Add(_bed.NewPod(), "ctr-1", _bed.Config(version: version));
        Assert.Equal(version, (string?)result["cniVersion"]);
        Assert.Equal(version == "1.0.0" ? null : "4", (string?)result["ips"]![0]!["version"]);
        Assert.Null(result["interfaces"]![0]!["mtu"]);
    }

    [RootFact]
    public void Add_StopsTheBridgeTakingRouterAdvertisements_AlsoWhenAnOlderBridgeTookThem()
    {
        _bed.Add(_bed.NewPod(), "ctr-1");
        Assert.Equal("0", _bed.Node.Exec("sysctl", "-n", "net.ipv6.conf.sluice0.accept_ra").Trim());

        // A bridge made before this fix (or set by hand): the next ADD turns it off again.
        _bed.Node.Exec("sysctl", "-w", "net.ipv6.conf.sluice0.accept_ra=1");
        _bed.Add(_bed.NewPod(), "ctr-2");
        Assert.Equal("0", _bed.Node.Exec("sysctl", "-n", "net.ipv6.conf.sluice0.accept_ra").Trim());
    }

    [RootFact]
    public void AddTwice_FailsAndLeavesTheFirstAttachmentWorking()
    {
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        var second = _bed.Run("ADD", "ctr-1", pod.Path, _bed.Config());
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("CNI_IFNAME eth0 already exists", second.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, pod.TryExec("ping", "-c", "1", "-W", "2", "10.44.0.1").ExitCode);
        Assert.Equal(2, _bed.Allocations().Count);
    }

    [RootFact]
    public void Add_FailingAfterTheVethExists_RemovesTheVethPair()
    {
        // The veth is made before IPAM runs: a range with one address, already taken, makes the
        // second ADD fail with the pair in place (as a 300-character container ID once did, by
        // making the host veth's alias longer than the kernel allows).
        var oneAddress = $$"""{"type":"sluice-ipam","ranges":[[{"subnet":"{{_bed.Subnet4}}","rangeStart":"10.44.0.10","rangeEnd":"10.44.0.10"}]],"dataDir":"{{_bed.DataDir}}"}""";
        var first = _bed.NewPod();
        Assert.Equal(0, _bed.Run("ADD", "ctr-first", first.Path, _bed.Config(ipam: oneAddress)).ExitCode);
        var pod = _bed.NewPod();

        var add = _bed.Run("ADD", "ctr-second", pod.Path, _bed.Config(ipam: oneAddress));

        Assert.Equal(1, add.ExitCode);
        Assert.Equal(11, Code(add)); // try again later: an address may be released
        Assert.Contains("all 1 addresses are allocated", add.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", add.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("eth0", pod.Exec("ip", "-o", "link"), StringComparison.Ordinal);
        Assert.Equal(0, _bed.Run("DEL", "ctr-first", first.Path, _bed.Config(ipam: oneAddress)).ExitCode);
        first.Dispose(); // the runtime removes the namespace; the veth DEL released goes with it
        AssertNodeClean();
    }

    [RootFact]
    public void Del_MatrixOfRuntimeBehaviours_AllSucceedAndLeaveNothing()
    {
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        _bed.Del("ctr-1", pod.Path);                 // StopPodSandbox: netns and all
        pod.Dispose();                               // the runtime removes the netns; the released veth goes with it
        _bed.Del("ctr-1", "");                       // RemovePodSandbox: empty CNI_NETNS, no prevResult
        _bed.Del("ctr-1", "/var/run/netns/gone");    // netns path that no longer exists
        _bed.Del("never-added", "");                 // DEL without any ADD
        AssertNodeClean();
    }

    [RootFact]
    public void Del_AfterTheNetnsWasDestroyed_ReleasesEverythingHostSide()
    {
        var pod = TestNetns.Create("gone");
        var path = pod.Path;
        _bed.Add(pod, "ctr-1");
        pod.Dispose();
        _bed.Del("ctr-1", path);
        AssertNodeClean();
    }

    [RootFact]
    public void Check_PassesAfterAddAndNamesWhatWasTamperedWith()
    {
        var pod = _bed.NewPod();
        var result = _bed.Add(pod, "ctr-1");
        var config = _bed.Config(",\"prevResult\":" + result.ToJsonString());
        var ok = _bed.Run("CHECK", "ctr-1", pod.Path, config);
        Assert.True(ok.ExitCode == 0, ok.ToString());

        pod.Exec("ip", "route", "del", "default");
        var noRoute = _bed.Run("CHECK", "ctr-1", pod.Path, config);
        Assert.Equal(103, Code(noRoute));
        Assert.Contains("route 0.0.0.0/0 via 10.44.0.1 from prevResult is missing on eth0", noRoute.Stdout, StringComparison.Ordinal);

        pod.Exec("ip", "route", "add", "default", "via", "10.44.0.1");
        pod.Exec("ip", "addr", "del", "10.44.0.2/24", "dev", "eth0");
        var noAddress = _bed.Run("CHECK", "ctr-1", pod.Path, config);
        Assert.Contains("address 10.44.0.2/24 from prevResult is missing on eth0", noAddress.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void Check_NoticesThatThePodSubnetLeftTheMasqueradeRules()
    {
        var pod = _bed.NewPod();
        var result = _bed.Add(pod, "ctr-1");
        _bed.Node.Exec("nft", "flush", "set", "inet", "sluice_bridge", $"src4_{AttachmentNames.NetworkId("podnet")}");
        var check = _bed.Run("CHECK", "ctr-1", pod.Path, _bed.Config(",\"prevResult\":" + result.ToJsonString()));
        Assert.Equal(103, Code(check));
        Assert.Contains("subnet 10.44.0.0/24 is missing from set src4_", check.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void FirewallRules_ArePerNetwork_SoASecondPodChangesNothing()
    {
        _bed.Add(_bed.NewPod("first"), "ctr-1");
        var before = _bed.Node.Exec("nft", "-a", "list", "table", "inet", "sluice_bridge");
        _bed.Add(_bed.NewPod("second"), "ctr-2");
        Assert.Equal(before, _bed.Node.Exec("nft", "-a", "list", "table", "inet", "sluice_bridge"));
        Assert.Contains("ip saddr @src4_", before, StringComparison.Ordinal);
        Assert.Contains("ip daddr != @dst4_", before, StringComparison.Ordinal);
        Assert.Contains("10.44.0.0/24", before, StringComparison.Ordinal);
    }

    [RootFact]
    public void FirewallRules_VerifiedOnce_AreNotReadAgainUntilTheRulesetChanges_ThenRestored()
    {
        // A network of its own: the stamp file is per network, and other tests' nodes use podnet.
        using var logs = new TempDirectory("sluice-stamp");
        var log = logs.Combine("bridge.log");
        var config = _bed.Config($",\"logLevel\":\"debug\",\"logFile\":\"{log}\"").Replace("\"name\":\"podnet\"", "\"name\":\"stampnet\"", StringComparison.Ordinal);
        string LogOf(string container) => string.Join('\n', File.ReadAllLines(log).Where(l => l.Contains($"container={container} ", StringComparison.Ordinal)));

        _bed.Add(_bed.NewPod("first"), "ctr-1", config);
        _bed.Add(_bed.NewPod("second"), "ctr-2", config);
        _bed.Add(_bed.NewPod("third"), "ctr-3", config);
        Assert.Contains("updated the firewall rules of stampnet", LogOf("ctr-1"), StringComparison.Ordinal);
        Assert.Contains("firewall rules of stampnet verified at nftables generation", LogOf("ctr-2"), StringComparison.Ordinal);
        Assert.Contains("unchanged since", LogOf("ctr-3"), StringComparison.Ordinal);
        Assert.DoesNotContain("firewall backend", LogOf("ctr-3"), StringComparison.Ordinal);

        var set = $"src4_{AttachmentNames.NetworkId("stampnet")}";
        _bed.Node.Exec("nft", "flush", "set", "inet", "sluice_bridge", set);
        _bed.Add(_bed.NewPod("fourth"), "ctr-4", config);

        Assert.DoesNotContain("unchanged since", LogOf("ctr-4"), StringComparison.Ordinal);
        Assert.Contains("updated the firewall rules of stampnet", LogOf("ctr-4"), StringComparison.Ordinal);
        Assert.Contains("10.44.0.0/24", _bed.Node.Exec("nft", "list", "set", "inet", "sluice_bridge", set), StringComparison.Ordinal);
    }

    [RootFact]
    public void FirewallRules_WithAnEmptyButRegisteredLegacyTable_GoToNftables()
    {
        // Regression: listing a legacy table registers it, empty; auto used to pick iptables-legacy
        // for that alone while portmap's rules went elsewhere, splitting the node.
        _bed.Node.Exec("iptables-legacy", "-t", "nat", "-L", "-n");
        _bed.Node.Exec("iptables-legacy", "-L", "-n");

        _bed.Add(_bed.NewPod(), "ctr-1");

        Assert.Contains("table inet sluice_bridge", _bed.Node.Exec("nft", "list", "tables"), StringComparison.Ordinal);
        Assert.DoesNotContain("SLUICE-", _bed.Node.TryExec("iptables-legacy-save").Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void Gc_RemovesEverythingOfDeadAttachmentsAndKeepsTheLiving()
    {
        var alive = _bed.NewPod("alive");
        var dead = _bed.NewPod("dead");
        _bed.Add(alive, "alive-1");
        _bed.Add(dead, "dead-1");
        var gc = _bed.Run("GC", "", "", _bed.Config(",\"cni.dev/valid-attachments\":[{\"containerID\":\"alive-1\",\"ifname\":\"eth0\"}]"));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Equal(2, _bed.Allocations().Count);
        Assert.Equal(3, _bed.NodeLinks().Count);
        Assert.Equal(0, alive.TryExec("ping", "-c", "1", "-W", "2", "10.44.0.1").ExitCode);
    }

    [RootFact]
    public void Status_IsFineAndSaysCode50WhenThePoolIsFull()
    {
        using var tiny = new Testbed("10.45.0.0/30", null);
        Assert.Equal(0, tiny.Run("STATUS", "", "", tiny.Config()).ExitCode);
        tiny.Add(tiny.NewPod(), "only");
        Assert.Equal(50, Code(tiny.Run("STATUS", "", "", tiny.Config())));
    }

    [RootFact]
    public void DelegatedIpam_HostLocalFromCniPath_Works()
    {
        var ipam = $$"""{"type":"host-local","ranges":[[{"subnet":"10.46.0.0/24"}]],"dataDir":"{{_bed.DataDir}}"}""";
        var config = _bed.Config(version: "1.0.0", ipam: ipam);
        var pod = _bed.NewPod();
        var result = _bed.Add(pod, "ctr-1", config);
        Assert.Equal("10.46.0.2/24", (string?)result["ips"]![0]!["address"]);
        Assert.Equal(0, pod.TryExec("ping", "-c", "1", "-W", "2", "10.46.0.1").ExitCode);
        _bed.Del("ctr-1", pod.Path, config);
        Assert.Empty(_bed.Allocations());
    }

    [RootFact]
    public void Add_WithMtu_GivesThePodsEth0TheHostVethAndANewBridgeThatMtu()
    {
        var pod = _bed.NewPod();

        var result = _bed.Add(pod, "ctr-1", _bed.Config(""","mtu":1400"""));

        Assert.Equal([1400, 1400, 1400], result["interfaces"]!.AsArray().Select(i => (int)i!["mtu"]!));
        Assert.Equal((1400, 1400, 1400), Mtus(pod, "ctr-1"));
    }

    [RootFact]
    public void Add_WithALargerMtuThanAnOlderPods_LeavesTheBridgeAtTheSmallestPortsMtu()
    {
        var older = _bed.Add(_bed.NewPod("older"), "ctr-1", _bed.Config(""","mtu":1400"""));
        var olderV4 = ((string)older["ips"]![0]!["address"]!).Split('/')[0];
        var newer = _bed.NewPod("newer");

        _bed.Add(newer, "ctr-2", _bed.Config(""","mtu":1500"""));

        Assert.Equal((1400, 1500, 1500), Mtus(newer, "ctr-2"));
        // A 1500-byte packet from the node: fragmented for the bridge's 1400 and delivered; a bridge
        // raised to 1500 would pass it whole to the older pod's 1400 veth, which drops it.
        var ping = _bed.Node.TryExec("ping", "-c", "1", "-W", "2", "-M", "dont", "-s", "1472", olderV4);
        Assert.True(ping.ExitCode == 0, ping.ToString());
    }

    [RootFact]
    public void Add_WithASmallerMtuThanTheBridges_LowersTheBridgeWithTheNewVeth()
    {
        _bed.Add(_bed.NewPod("older"), "ctr-1", _bed.Config(""","mtu":1500"""));
        var newer = _bed.NewPod("newer");

        _bed.Add(newer, "ctr-2", _bed.Config(""","mtu":1450"""));

        Assert.Equal((1450, 1450, 1450), Mtus(newer, "ctr-2"));
    }

    /// <summary>The MTUs of the bridge, the attachment's host veth and the pod's eth0, as the kernel has them.</summary>
    private (int Bridge, int HostVeth, int PodEth0) Mtus(TestNetns pod, string containerId)
    {
        using var node = Sluice.Linux.Rtnetlink.Rtnl.OpenIn(_bed.NodeNs);
        using var podNs = pod.Open();
        using var inPod = Sluice.Linux.Rtnetlink.Rtnl.OpenIn(podNs);
        return (node.GetLink("sluice0").Mtu, node.GetLink(AttachmentNames.HostVeth("podnet", containerId, "eth0")).Mtu, inPod.GetLink("eth0").Mtu);
    }

    [RootTheory]
    [InlineData(""","vlan":100""", 2, "field 'vlan' (100) is not supported")]
    [InlineData(""","ipMasqBackend":"pf" """, 7, "field 'ipMasqBackend' 'pf'")]
    [InlineData(""","mtu":10""", 7, "field 'mtu' 10")]
    [InlineData(""","bridge":"a-very-long-bridge-name" """, 7, "field 'bridge'")]
    [InlineData(""","clusterCidrs":["10.0.0.1/8"]""", 7, "field 'clusterCidrs[0]'")]
    public void BadConfig_FailsBeforeTouchingAnything(string extra, int code, string fragment)
    {
        var pod = _bed.NewPod();
        var result = _bed.Run("ADD", "ctr-1", pod.Path, _bed.Config(extra));
        Assert.Equal(code, Code(result));
        Assert.Contains(fragment, result.Stdout, StringComparison.Ordinal);
        Assert.Equal(["lo"], _bed.NodeLinks());
    }

    [RootFact]
    public void Add_WithAMissingNetns_FailsNamingCniNetnsAndLeavesNothing()
    {
        var result = _bed.Run("ADD", "ctr-1", "/var/run/netns/nope", _bed.Config());
        Assert.Equal(4, Code(result));
        Assert.Contains("CNI_NETNS '/var/run/netns/nope' cannot be opened", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(_bed.Allocations());
    }

    [RootFact]
    public void Add_WhenIpamFails_RollsBackTheVeth()
    {
        using var tiny = new Testbed("10.47.0.0/30", null);
        tiny.Add(tiny.NewPod(), "first");
        var pod = tiny.NewPod();
        var result = tiny.Run("ADD", "second", pod.Path, tiny.Config());
        Assert.Equal(11, Code(result));
        Assert.Equal(["lo"], pod.Exec("ip", "-br", "link").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
        Assert.Equal(3, tiny.NodeLinks().Count);
    }

    [RootFact]
    public void RequestedMacAndIp_AreHonoured()
    {
        var pod = _bed.NewPod();
        var result = _bed.Run("ADD", "ctr-1", pod.Path, _bed.Config(), args: "IgnoreUnknown=1;MAC=02:42:ac:11:00:09;IP=10.44.0.77");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("02:42:ac:11:00:09", pod.Exec("ip", "link", "show", "eth0"), StringComparison.Ordinal);
        Assert.Contains("10.44.0.77/24", pod.Exec("ip", "addr", "show", "eth0"), StringComparison.Ordinal);
    }
}
