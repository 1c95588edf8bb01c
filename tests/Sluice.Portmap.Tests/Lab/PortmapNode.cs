using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Portmap.Tests.Lab;

/// <summary>
/// A node namespace running the published sluice-bridge (hairpin mode on, as hostPort needs) and
/// sluice-portmap chained after it, or sluice-bridge mapping hostPorts itself, pods as namespaces, and an "outside" namespace linked to the
/// node's uplink (192.0.2.1 / 2001:db8:2::1). All removed on dispose.
/// </summary>
internal sealed partial class PortmapNode : IDisposable
{
    public const string Network = "podnet";
    public static readonly IPAddress NodeV4 = IPAddress.Parse("192.0.2.1");
    public static readonly IPAddress NodeV6 = IPAddress.Parse("2001:db8:2::1");
    public static readonly IPAddress OutsideV4 = IPAddress.Parse("192.0.2.2");
    public static readonly IPAddress GatewayV4 = IPAddress.Parse("10.45.0.1");

    private readonly List<PortmapPod> _pods = [];
    private readonly TempDirectory _dir = new("sluice-portmap");
    private readonly string _bridgeExtra;

    /// <param name="backend">Both plugins' firewall backend.</param>
    /// <param name="network">The network's name (the bridge's firewall stamp is per network name, so a test that reads it takes a name of its own).</param>
    /// <param name="bridgeExtra">More top-level keys for sluice-bridge's configuration, each after a comma.</param>
    public PortmapNode(string backend = "auto", string network = Network, string bridgeExtra = "")
    {
        Backend = backend;
        NetworkName = network;
        _bridgeExtra = bridgeExtra;
        Node = TestNetns.Create("pmnode");
        NodeNs = Node.Open();
        Outside = TestNetns.Create("pmout");
        OutsideNs = Outside.Open();
        LinkOutside();
    }

    public string Backend { get; }

    public string NetworkName { get; }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public TestNetns Outside { get; }

    public NetNs OutsideNs { get; }

    public string BridgeConfig => BridgeConfigWith("");

    /// <summary>The IPAM store's directory of the network (one file per allocated address).</summary>
    public string IpamNetworkDir => Path.Combine(_dir.Combine("ipam"), NetworkName);

    /// <summary>sluice-bridge's configuration with more top-level keys, each after a comma.</summary>
    public string BridgeConfigWith(string keys) =>
        $$$"""
        {"cniVersion":"1.0.0","name":"{{{NetworkName}}}","type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,
         "ipMasq":true,"hairpinMode":true,"ipMasqBackend":"{{{Backend}}}"{{{_bridgeExtra}}}{{{keys}}},
         "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"10.45.0.0/24"}],[{"subnet":"fd45::/64"}]],"dataDir":"{{{_dir.Combine("ipam")}}}"}}
        """;

    /// <summary>
    /// sluice-bridge mapping the pod's hostPorts itself, as a runtime calls it: the capability
    /// declared, the mappings in runtimeConfig, and for CHECK the bridge's own result as prevResult.
    /// </summary>
    public string BridgeMappingConfig(string mappings, JsonNode? prevResult = null, string extra = "") =>
        BridgeConfigWith($$$""","capabilities":{"portMappings":true},"runtimeConfig":{"portMappings":{{{mappings}}}}{{{extra}}}""" +
            (prevResult is null ? "" : $",\"prevResult\":{prevResult.ToJsonString()}"));

    /// <summary>A pod whose hostPorts sluice-bridge maps itself (its ADD must succeed); no sluice-portmap runs.</summary>
    public PortmapPod AddPodMappedByBridge(string role, string containerId, string mappings, string extra = "")
    {
        var pod = StartPod(role, containerId);
        var add = BridgeMapping("ADD", pod, mappings, extra);
        Assert.True(add.ExitCode == 0, add + "\n" + Ruleset());
        pod.BridgeResult = JsonNode.Parse(add.Stdout)!;
        UpLoopback(pod);
        return pod;
    }

    /// <summary>A pod namespace with nothing in it yet.</summary>
    public PortmapPod StartPod(string role, string containerId)
    {
        var ns = TestNetns.Create(role);
        var pod = new PortmapPod(ns, ns.Open(), containerId);
        _pods.Add(pod);
        return pod;
    }

    public ProcessResult BridgeMapping(string command, PortmapPod pod, string mappings, string extra = "") =>
        Run("sluice-bridge", command, pod.ContainerId, pod.Path, BridgeMappingConfig(mappings, command == "CHECK" ? pod.BridgeResult : null, extra));

    /// <summary>sluice-portmap's configuration as a runtime injects it: the mappings in runtimeConfig, the bridge's result as prevResult.</summary>
    public string PortmapConfig(string mappings, JsonNode? prevResult = null, string extra = "") =>
        $$$"""
        {"cniVersion":"1.0.0","name":"{{{NetworkName}}}","type":"sluice-portmap","backend":"{{{Backend}}}"{{{extra}}},
         "runtimeConfig":{"portMappings":{{{mappings}}}}{{{(prevResult is null ? "" : $",\"prevResult\":{prevResult.ToJsonString()}")}}}}
        """;

    /// <summary>A pod with its bridge interface; sluice-portmap is not run yet.</summary>
    public PortmapPod NewPod(string role, string containerId)
    {
        var pod = StartPod(role, containerId);
        var add = Run("sluice-bridge", "ADD", containerId, pod.Path, BridgeConfig);
        Assert.True(add.ExitCode == 0, add.ToString());
        pod.BridgeResult = JsonNode.Parse(add.Stdout)!;
        UpLoopback(pod);
        return pod;
    }

    private static void UpLoopback(PortmapPod pod)
    {
        using var rtnl = Rtnl.OpenIn(pod.Ns);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
    }

    /// <summary>A pod with its bridge interface and its port mappings (sluice-portmap ADD must succeed).</summary>
    public PortmapPod AddPod(string role, string containerId, string mappings, string extra = "")
    {
        var pod = NewPod(role, containerId);
        var add = Portmap("ADD", pod, mappings, extra);
        Assert.True(add.ExitCode == 0, add + "\n" + Ruleset());
        Assert.Equal(pod.BridgeResult.ToJsonString(), JsonNode.Parse(add.Stdout)!.ToJsonString());
        return pod;
    }

    public ProcessResult Portmap(string command, PortmapPod pod, string mappings, string extra = "", bool withPrevResult = true, bool withNetns = true) =>
        Run("sluice-portmap", command, pod.ContainerId, withNetns ? pod.Path : "", PortmapConfig(mappings, withPrevResult ? pod.BridgeResult : null, extra));

    /// <summary>DEL of the whole chain, in the runtime's order (portmap, then bridge).</summary>
    public void Remove(PortmapPod pod, string mappings)
    {
        var del = Portmap("DEL", pod, mappings);
        Assert.True(del.ExitCode == 0, del.ToString());
        var bridge = Run("sluice-bridge", "DEL", pod.ContainerId, pod.Path, BridgeConfig);
        Assert.True(bridge.ExitCode == 0, bridge.ToString());
    }

    public ProcessResult Run(string plugin, string command, string containerId, string netns, string config)
    {
        var env = new CniInvocation(command, containerId, netns, "eth0", "", RepoPaths.BinDirectory).Environment();
        return ProcessRunner.RunIn(NodeNs, RepoPaths.Binary(plugin), env, config);
    }

    /// <summary>
    /// The node's firewall as text: the nft ruleset, then iptables-save of both variants and
    /// families; without counters, which packets of the node's own (router solicitations, DAD)
    /// move between two readings, and without iptables-save's timestamped comment lines.
    /// </summary>
    public string Ruleset() => ChangingParts().Replace(
        Node.Exec("nft", "-s", "list", "ruleset") +
        Node.TryExec("iptables-legacy-save").Stdout + Node.TryExec("ip6tables-legacy-save").Stdout +
        Node.TryExec("iptables-nft-save").Stdout + Node.TryExec("ip6tables-nft-save").Stdout,
        "");

    [GeneratedRegex(@"^#.*\n| ?counter packets \d+ bytes \d+| \[\d+:\d+\]", RegexOptions.Multiline)]
    private static partial Regex ChangingParts();

    public void Dispose()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }

        OutsideNs.Dispose();
        Outside.Dispose();
        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }

    private void LinkOutside()
    {
        using var node = Rtnl.OpenIn(NodeNs);
        using var outside = Rtnl.OpenIn(OutsideNs);
        node.SetUp(node.GetLink("lo").Index);
        outside.SetUp(outside.GetLink("lo").Index);
        node.CreateVeth("uplink0", "eth0", OutsideNs);
        var up = node.GetLink("uplink0");
        var eth0 = outside.GetLink("eth0");
        node.AddAddress(up.Index, NodeV4, 24);
        node.AddAddress(up.Index, NodeV6, 64, AddressFlags.NoDad);
        outside.AddAddress(eth0.Index, OutsideV4, 24);
        outside.AddAddress(eth0.Index, IPAddress.Parse("2001:db8:2::2"), 64, AddressFlags.NoDad);
        node.SetUp(up.Index);
        outside.SetUp(eth0.Index);
    }
}

/// <summary>A pod namespace, its container ID and the bridge's result for it.</summary>
internal sealed class PortmapPod(TestNetns ns, NetNs handle, string containerId) : IDisposable
{
    public TestNetns Netns { get; } = ns;

    public NetNs Ns { get; } = handle;

    public string ContainerId { get; } = containerId;

    public string Path => Netns.Path;

    public JsonNode BridgeResult { get; set; } = new JsonObject();

    public IPAddress V4 => Address(System.Net.Sockets.AddressFamily.InterNetwork);

    public IPAddress V6 => Address(System.Net.Sockets.AddressFamily.InterNetworkV6);

    public void Dispose()
    {
        Ns.Dispose();
        Netns.Dispose();
    }

    private IPAddress Address(System.Net.Sockets.AddressFamily family) =>
        BridgeResult["ips"]!.AsArray().Select(ip => IPAddress.Parse(((string)ip!["address"]!).Split('/')[0])).First(a => a.AddressFamily == family);
}
