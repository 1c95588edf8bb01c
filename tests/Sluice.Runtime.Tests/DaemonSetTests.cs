using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Deploy.Tests;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Runtime.Tests.Lab;

namespace Sluice.Runtime.Tests;

/// <summary>
/// The image <c>make image</c> built, run as the chart's DaemonSet runs it: the chart rendered
/// (tests/tools/chartrender), its pod started through containerd's CRI with what kubelet would
/// send (<see cref="KubeletPod"/>), on a node that is a network namespace with directories of its
/// own at the chart's host paths (<see cref="NodeFilesystem"/>). Then, as on a real node: the
/// binaries land in the CNI bin dir, the configuration and the plugins' kubeconfig are written,
/// the chart's readiness probe answers, a pod sandbox created afterwards through the CRI gets its
/// network and capture from what the agent installed, and stopping the agent leaves the node as
/// the chart's keep/uninstall setting says.
/// </summary>
public sealed class DaemonSetTests
{
    private const string NodeName = "node-a";
    private const string CaptureTable = "table inet sluice_capture";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [RootFact]
    public void ChartDefaults_NodeWithAPrimaryPlugin_ChainIntoItAndANewPodGetsNetworkAndCapture()
    {
        var chart = ChartRenderer.Render();
        var pod = new KubeletPod(chart, NodeName);
        using var node = CriNode.Start(pod.HostPaths.Values, InstallPrimaryPlugin);
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Generic(CriNode.PodNamespace, "web", NodeName));
        using var agent = AgentDaemonSet.Start(node, pod);
        agent.WaitUntilReady(Patience);
        Assert.Equal(200, agent.Get(pod.LivenessProbe.Path).Status);

        AssertBinariesInstalled(node, agent);
        var primary = node.Filesystem!.HostPath($"{CriNode.NodeCniConfDir}/{PrimaryConflist}");
        Assert.Equal(["bridge", "sluice-redirect"], PluginTypes(primary));
        AssertEntryIsTheChartsPluginConfig(chart, PluginsOf(primary).Last()!, agent);
        AssertPluginKubeconfigReadsPods(node, chart, "web");
        AssertNewPodGetsNetworkAndCapture(node, agent, PrimarySubnet, "sluice-redirect ADD");

        var keep = StopAndAssertBinariesAndKubeconfig(node, agent, chart);
        Assert.Equal(keep ? ["bridge", "sluice-redirect"] : ["bridge"], PluginTypes(primary));
    }

    [RootFact]
    public void ChartPrimaryNetwork_NodeWithKubeProxyRules_WritesPodNetworkRoutesAndRulesAndANewPodGetsNetworkAndCapture()
    {
        var chart = ChartRenderer.Render(null, "primaryNetwork.enabled=true", $"primaryNetwork.clusterCidrs={{{ClusterCidr}}}");
        var pod = new KubeletPod(chart, NodeName);
        using var node = CriNode.Start(pod.HostPaths.Values, InstallLoopback);
        AddUplink(node);
        AddKubeProxyRules(node);
        node.Api.SetNode(NodeName, SampleNodes.Node(NodeName, [$"{PodCidr}"], [$"{NodeAddress}"]));
        node.Api.SetNode("node-b", SampleNodes.Node("node-b", [$"{OtherPodCidr}"], [$"{OtherNodeAddress}"]));
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Generic(CriNode.PodNamespace, "web", NodeName));
        using var agent = AgentDaemonSet.Start(node, pod);
        agent.WaitUntilReady(Patience);

        AssertBinariesInstalled(node, agent);
        var conflist = ConflistInUse(node) ?? throw new InvalidOperationException($"no CNI configuration\n{agent.Diagnostics()}");
        Assert.Equal(["sluice-bridge", "sluice-redirect"], PluginTypes(conflist));
        AssertEntryIsTheChartsPluginConfig(chart, PluginsOf(conflist).Last()!, agent);
        Assert.True(HasRouteToOtherNode(node), $"no route to {OtherPodCidr} via {OtherNodeAddress}\n{agent.Diagnostics()}");
        // The node's firewall was iptables (kube-proxy's rules): the image's iptables-nft-restore wrote ours beside them.
        var nat = IptablesNftSave(node, "nat");
        foreach (var rule in new[] { "-j KUBE-SERVICES", $"-s {PodCidr} ", $"-d {ClusterCidr} -j RETURN", "-j MASQUERADE" })
        {
            Assert.True(nat.Contains(rule, StringComparison.Ordinal), $"no '{rule}' in the nat table:\n{nat}\n{agent.Diagnostics()}");
        }

        Assert.Contains($"-s {ClusterCidr} -j ACCEPT", IptablesNftSave(node, "filter"), StringComparison.Ordinal);
        AssertPluginKubeconfigReadsPods(node, chart, "web");
        AssertNewPodGetsNetworkAndCapture(node, agent, PodCidr, "sluice-bridge ADD");
        // The unprivileged agent cannot write /proc/sys; the pod's ADD (on the host) turned forwarding on.
        Assert.Equal("1", node.NodeNs.Run(() => File.ReadAllText("/proc/sys/net/ipv4/ip_forward")).Trim());

        var keep = StopAndAssertBinariesAndKubeconfig(node, agent, chart);
        Assert.Equal(keep, File.Exists(conflist));
        Assert.Equal(keep, HasRouteToOtherNode(node));
    }

    private const string PrimaryConflist = "10-bridge.conflist";
    private static readonly IPNetwork PrimarySubnet = IPNetwork.Parse("10.88.0.0/24");
    private static readonly IPNetwork ClusterCidr = IPNetwork.Parse("10.244.0.0/16");
    private static readonly IPNetwork PodCidr = IPNetwork.Parse("10.244.1.0/24");
    private static readonly IPNetwork OtherPodCidr = IPNetwork.Parse("10.244.2.0/24");
    private static readonly IPAddress NodeAddress = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress OtherNodeAddress = IPAddress.Parse("192.0.2.11");

    /// <summary>The node's link to the other nodes: a veth pair inside the node namespace, the node's InternalIP on one end.</summary>
    private static void AddUplink(CriNode node)
    {
        using var rtnl = Rtnl.OpenIn(node.NodeNs);
        rtnl.CreateVeth("uplink0", "uplink1", node.NodeNs);
        var uplink = rtnl.GetLink("uplink0");
        rtnl.AddAddress(uplink.Index, NodeAddress, 24);
        rtnl.SetUp(uplink.Index);
        rtnl.SetUp(rtnl.GetLink("uplink1").Index);
    }

    /// <summary>What kube-proxy in iptables mode leaves in a node's nat table (through iptables-nft, as on current distributions).</summary>
    private static void AddKubeProxyRules(CriNode node)
    {
        foreach (var rule in new[] { new[] { "-N", "KUBE-SERVICES" }, ["-A", "PREROUTING", "-j", "KUBE-SERVICES"] })
        {
            var result = ProcessRunner.RunIn(node.NodeNs, "/usr/sbin/iptables-nft", new Dictionary<string, string>(), arguments: ["-t", "nat", .. rule]);
            Assert.True(result.ExitCode == 0, $"iptables-nft -t nat {string.Join(' ', rule)}: {result}");
        }
    }

    private static string IptablesNftSave(CriNode node, string table) =>
        ProcessRunner.RunIn(node.NodeNs, "/usr/sbin/iptables-nft-save", new Dictionary<string, string>(), arguments: ["-t", table]).Stdout;

    private static bool HasRouteToOtherNode(CriNode node)
    {
        using var rtnl = Rtnl.OpenIn(node.NodeNs);
        return rtnl.ListRoutes(AddressFamily.InterNetwork).Any(r => r.Destination == OtherPodCidr && OtherNodeAddress.Equals(r.Gateway));
    }

    /// <summary>The configuration containerd uses: the lexically first file of the node's CNI configuration directory, if any.</summary>
    private static string? ConflistInUse(CriNode node) =>
        Directory.EnumerateFiles(node.Filesystem!.HostPath(CriNode.NodeCniConfDir))
            .Where(f => f.EndsWith(".conflist", StringComparison.Ordinal) || f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>What a node's primary CNI leaves before Sluice arrives: its conflist, and the plugins it names plus loopback in the bin dir.</summary>
    private static void InstallPrimaryPlugin(CriNode node)
    {
        InstallLoopback(node);
        foreach (var plugin in new[] { "bridge", "host-local" })
        {
            File.Copy($"/usr/lib/cni/{plugin}", node.Filesystem!.HostPath($"{CriNode.NodeCniBinDir}/{plugin}"));
        }

        File.WriteAllText(node.Filesystem!.HostPath($"{CriNode.NodeCniConfDir}/{PrimaryConflist}"), $$$"""
            {"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[
              {"type":"bridge","bridge":"cni0","isGateway":true,"isDefaultGateway":true,"ipMasq":false,
               "ipam":{"type":"host-local","ranges":[[{"subnet":"{{{PrimarySubnet}}}"}]]}}]}
            """);
    }

    /// <summary>containerd's CRI sets up every sandbox's lo with the loopback plugin from the bin dir.</summary>
    private static void InstallLoopback(CriNode node) =>
        File.Copy("/usr/lib/cni/loopback", node.Filesystem!.HostPath($"{CriNode.NodeCniBinDir}/loopback"));

    /// <summary>
    /// A pod sandbox created through the CRI now gets an address in <paramref name="subnet"/> and
    /// capture from the plugins the agent installed; the agent's log shows <paramref name="loggedCall"/>
    /// (the plugins' records reach it over its log socket). Then the pod is stopped and removed
    /// through the same plugins, while they are installed: with the agent uninstalled, the
    /// runtime could no longer tear its network down (docs/runtime.md).
    /// </summary>
    private static void AssertNewPodGetsNetworkAndCapture(CriNode node, AgentDaemonSet agent, IPNetwork subnet, string loggedCall)
    {
        node.WaitUntilNetworkReady();
        var id = node.RunPod("web");
        var status = node.Cri.Status(id);
        Assert.Contains(status.Ips, ip => subnet.Contains(ip));
        AssertCaptured(node, status, agent);
        Assert.Contains(loggedCall, agent.Log, StringComparison.Ordinal);

        node.Cri.StopPodSandbox(id);
        node.Cri.RemovePodSandbox(id);
        Assert.Equal([agent.Sandbox], node.Cri.ListPodSandboxes());
    }

    /// <summary>Stops the agent as kubelet does; it exits 0, and binaries and kubeconfig are there or gone as the chart says. Returns whether it keeps.</summary>
    private static bool StopAndAssertBinariesAndKubeconfig(CriNode node, AgentDaemonSet agent, RenderedChart chart)
    {
        Assert.Equal(0, agent.Stop());
        var keep = KeepsOnStop(agent.Pod, node);
        AssertBinaries(node, present: keep, agent);
        AssertKubeconfig(node, chart, present: keep);
        return keep;
    }

    /// <summary>
    /// What stopping the agent must leave, as the chart says: with <c>KEEP_ON_EXIT=false</c> the
    /// agent uninstalls on SIGTERM; otherwise (true, or the variable gone because SIGTERM keeps
    /// everything and only an explicit uninstall removes it) everything stays.
    /// </summary>
    private static bool KeepsOnStop(KubeletPod pod, CriNode node)
    {
        var api = new Uri(node.Api.Server);
        return pod.Environment(api.Host, api.Port).GetValueOrDefault("KEEP_ON_EXIT") != "false";
    }

    /// <summary>Every binary of the image's /opt/sluice/bin, byte for byte, executable, in the node's CNI bin dir.</summary>
    private static void AssertBinariesInstalled(CriNode node, AgentDaemonSet agent) => AssertBinaries(node, present: true, agent);

    private static void AssertBinaries(CriNode node, bool present, AgentDaemonSet agent)
    {
        foreach (var built in Directory.EnumerateFiles(RepoPaths.BinDirectory))
        {
            var installed = node.Filesystem!.HostPath($"{CriNode.NodeCniBinDir}/{Path.GetFileName(built)}");
            Assert.True(File.Exists(installed) == present, $"{installed} {(present ? "is missing" : "is still there")}\n{agent.Diagnostics()}");
            if (present)
            {
                Assert.True(File.ReadAllBytes(built).AsSpan().SequenceEqual(File.ReadAllBytes(installed)), $"{installed} differs from {built} (is the image older than the build? make image)");
                Assert.True((File.GetUnixFileMode(installed) & UnixFileMode.UserExecute) != 0, $"{installed} is not executable");
            }
        }
    }

    /// <summary>The entry the agent wrote carries every key of the chart's PLUGIN_CONFIG with the chart's value.</summary>
    private static void AssertEntryIsTheChartsPluginConfig(RenderedChart chart, JsonNode entry, AgentDaemonSet agent)
    {
        foreach (var property in chart.PluginEntry.EnumerateObject())
        {
            Assert.True(
                JsonNode.DeepEquals(JsonNode.Parse(property.Value.GetRawText()), entry[property.Name]),
                $"{property.Name}: the chart says {property.Value.GetRawText()}, the conflist has {entry[property.Name]?.ToJsonString()}\n{agent.Diagnostics()}");
        }
    }

    /// <summary>The kubeconfig the chart's entry names works: the installed sluice-kube reads a pod with it, from the node's network.</summary>
    private static void AssertPluginKubeconfigReadsPods(CriNode node, RenderedChart chart, string podName)
    {
        var kubeconfig = node.Filesystem!.HostPath(KubeconfigPath(chart));
        var lookup = ProcessRunner.RunIn(
            node.NodeNs,
            node.Filesystem.HostPath($"{CriNode.NodeCniBinDir}/sluice-kube"),
            new Dictionary<string, string>(),
            arguments: ["get-pod", "--kubeconfig", kubeconfig, "--namespace", CriNode.PodNamespace, "--pod", podName]);
        Assert.True(lookup.ExitCode == 0, $"sluice-kube with the agent's kubeconfig: {lookup}");
        Assert.Equal(podName, JsonNode.Parse(lookup.Stdout)!["metadata"]!["name"]!.GetValue<string>());
        // The chart's default: the plugins' own service account's token (TokenRequest), not the agent's.
        var token = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(kubeconfig), @"(?m)^\s*token: (\S+)$").Groups[1].Value;
        Assert.True(node.Api.IsIssuedToken(token), $"the plugins' kubeconfig carries '{token}', not a token issued for {string.Join(", ", node.Api.TokenRequests)}");
        Assert.Equal($"{ChartRenderer.Namespace}/sluice-plugin", node.Api.TokenRequests[0]);
    }

    private static void AssertKubeconfig(CriNode node, RenderedChart chart, bool present)
    {
        var kubeconfig = node.Filesystem!.HostPath(KubeconfigPath(chart));
        Assert.True(File.Exists(kubeconfig) == present, $"{kubeconfig} {(present ? "is missing" : "is still there")}");
    }

    private static string KubeconfigPath(RenderedChart chart) =>
        chart.PluginEntry.GetProperty("kubernetes").GetProperty("kubeconfig").GetString()!;

    /// <summary>The sandbox's eth0 has its address and its namespace holds the capture table sluice-redirect installed.</summary>
    private static void AssertCaptured(CriNode node, SandboxStatus status, AgentDaemonSet agent)
    {
        using var pod = node.OpenNetns(status.NetnsPath);
        using (var rtnl = Rtnl.OpenIn(pod))
        {
            var eth0 = rtnl.GetLink("eth0");
            Assert.Contains(rtnl.ListAddresses(eth0.Index), a => status.Ips.Contains(a.Address));
        }

        Assert.True(Ruleset(pod).Contains(CaptureTable, StringComparison.Ordinal), $"no capture in the pod\n{agent.Diagnostics()}");
    }

    private static string Ruleset(NetNs pod) => pod.Run(() => ProcessRunner.Check("nft", "list", "ruleset"));

    private static JsonArray PluginsOf(string conflist) => JsonNode.Parse(File.ReadAllText(conflist))!["plugins"]!.AsArray();

    private static List<string> PluginTypes(string conflist) => [.. PluginsOf(conflist).Select(p => (string)p!["type"]!)];
}
