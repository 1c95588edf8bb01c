using System.Text;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// A node played in a namespace: sluice-bridge and sluice-ipam run inside it (so the bridge, the
/// host veths, routes and firewall rules land there), pods are further namespaces, and the IPAM
/// store lives in a temporary directory. Everything goes on dispose, also after a failed test.
/// </summary>
internal sealed class NodeLab : IDisposable
{
    public const string Network = "podnet";

    private readonly List<TestNetns> _pods = [];
    private readonly TempDirectory _dir = new("sluice-reliability");

    public NodeLab(string subnet4 = "10.52.0.0/22", string subnet6 = "fd52::/64")
    {
        Node = TestNetns.Create("rnode");
        NodeNs = Node.Open();
        Subnet4 = subnet4;
        Subnet6 = subnet6;
        using var rtnl = Rtnl.OpenIn(NodeNs);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
    }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public string Subnet4 { get; }

    public string Subnet6 { get; }

    public string Directory => _dir.Path;

    public string DataDir => _dir.Combine("ipam");

    public string StoreDir => Path.Combine(DataDir, Network);

    public static string CniPath => RepoPaths.BinDirectory;

    public string IpamSection() =>
        $$"""{"type":"sluice-ipam","ranges":[[{"subnet":"{{Subnet4}}"}],[{"subnet":"{{Subnet6}}"}]],"dataDir":"{{DataDir}}"}""";

    /// <summary>sluice-bridge's configuration (gateway, default route, masquerade), with <paramref name="extra"/> spliced in as more keys.</summary>
    public string BridgeConfig(string extra = "", string version = "1.1.0") =>
        $$"""
        {"cniVersion":"{{version}}","name":"{{Network}}","type":"sluice-bridge","bridge":"sluice0",
         "isGateway":true,"isDefaultGateway":true,"ipMasq":true,"logSocket":""{{extra}},
         "ipam":{{IpamSection()}}}
        """;

    /// <summary>sluice-ipam's configuration alone (as a delegating plugin would pass it).</summary>
    public string IpamConfig(string extra = "", string version = "1.1.0") =>
        $$"""{"cniVersion":"{{version}}","name":"{{Network}}","type":"sluice-ipam","logSocket":""{{extra}},"ipam":{{IpamSection()}}}""";

    /// <summary>CNI_ARGS as kubelet's runtime sends them for the pod shop/reviews.</summary>
    public const string PodArgs = "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=reviews;K8S_POD_INFRA_CONTAINER_ID=sandbox";

    /// <summary>sluice-redirect's configuration (istio profile, nftables, the lookup bounded as in production but shorter) without prevResult.</summary>
    public static string RedirectConfig(string kubeconfig, string podLookup = """{"timeoutMs":1500,"attempts":3,"totalMs":5000}""") =>
        $$"""
        {"cniVersion":"1.1.0","name":"{{Network}}","type":"sluice-redirect","profile":"istio","backend":"nft",
         "kubernetes":{"kubeconfig":"{{kubeconfig}}","agentSocket":"","excludeNamespaces":["kube-system"]},
         "podLookup":{{podLookup}},"logSocket":""}
        """;

    /// <summary><paramref name="config"/> with <paramref name="prevResult"/> (a plugin's stdout) added, as libcni passes it on DEL and CHECK.</summary>
    public static string WithPrevResult(string config, string prevResult)
    {
        var node = JsonNode.Parse(config)!.AsObject();
        node["prevResult"] = JsonNode.Parse(prevResult);
        return node.ToJsonString();
    }

    /// <summary>A pod namespace with lo up, as the runtime's loopback plugin leaves it.</summary>
    public TestNetns NewPod(string role = "rpod")
    {
        var pod = TestNetns.Create(role);
        _pods.Add(pod);
        using var ns = pod.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
        return pod;
    }

    public static Dictionary<string, string> Env(string command, string containerId, string netns, string ifName = "eth0", string args = "") =>
        new CniInvocation(command, containerId, netns, ifName, args, CniPath).Environment();

    public PluginRun.Outcome Run(string binary, Dictionary<string, string> env, string config, TimeSpan? killAfter = null, TimeSpan? timeout = null) =>
        Run(binary, env, Encoding.UTF8.GetBytes(config), timeout, killAfter);

    public PluginRun.Outcome Run(string binary, Dictionary<string, string> env, byte[] stdin, TimeSpan? timeout, TimeSpan? killAfter = null) =>
        PluginRun.Run(NodeNs, RepoPaths.Binary(binary), env, stdin, killAfter: killAfter, timeout: timeout, workingDirectory: Directory);

    /// <summary>Files in every network directory of the store other than the lock, the last-reserved hints and the index marker.</summary>
    public IReadOnlyList<string> StoreLeftovers()
    {
        if (!System.IO.Directory.Exists(DataDir))
        {
            return [];
        }

        return System.IO.Directory.EnumerateFiles(DataDir, "*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) is var name && name != "lock" && name != ".sluice-indexed" && !name.StartsWith("last_reserved_ip.", StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(DataDir, path))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>
    /// Host ends of pod interfaces left in the node namespace, not counting those DEL released:
    /// they go with their pod's namespace (docs/bridge.md, "DEL"), and these labs keep one pod
    /// namespace for many attachments, where the next ADD deletes the released pair.
    /// </summary>
    public IReadOnlyList<string> VethLinks()
    {
        using var rtnl = Rtnl.OpenIn(NodeNs);
        return rtnl.ListLinks().Where(l => l.Name.StartsWith("veth", StringComparison.Ordinal) && !IsReleased(l)).Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Host veths DEL released whose pod namespace still lives.</summary>
    public IReadOnlyList<Link> ReleasedVeths()
    {
        using var rtnl = Rtnl.OpenIn(NodeNs);
        return rtnl.ListLinks().Where(IsReleased).ToList();
    }

    /// <summary>Links of a pod namespace other than lo and the pod ends of released veths (a pod after DEL has none).</summary>
    public IReadOnlyList<string> LinksBesidesLoopback(NetNs ns)
    {
        var released = ReleasedVeths().Select(l => l.Index).ToHashSet();
        using var rtnl = Rtnl.OpenIn(ns);
        return rtnl.ListLinks().Where(l => l.Name != "lo" && !(l.Kind == "veth" && released.Contains(l.ParentIndex))).Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The node's kernel objects and firewall as text to compare (see <see cref="NetnsSnapshot"/>), released veths left out.</summary>
    public string Snapshot()
    {
        var released = ReleasedVeths().Select(l => l.Name + "@").ToList();
        return string.Join('\n', NetnsSnapshot.Take(Node).Split('\n').Where(line => !released.Any(name => line.StartsWith(name, StringComparison.Ordinal))));
    }

    private static bool IsReleased(Link link) => link.Alias?.StartsWith(Sluice.Bridge.AttachmentNames.ReleasedPrefix, StringComparison.Ordinal) == true;

    public void Dispose()
    {
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }

        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }
}
