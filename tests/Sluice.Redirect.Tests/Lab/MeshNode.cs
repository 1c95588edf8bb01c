using System.Net;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Net;
using Sluice.TestSupport.Traffic;

namespace Sluice.Redirect.Tests.Lab;

/// <summary>
/// A node as a runtime sees it: a node namespace where the libcni driver runs the chain
/// [sluice-bridge, sluice-redirect], the fake API server listening on the node's loopback (as a
/// real node reaches its API server), and pods as namespaces. Everything goes on dispose.
/// </summary>
internal sealed class MeshNode : IDisposable
{
    public const string Gateway = "10.45.0.1";
    public const string PodNamespace = "shop";

    private readonly TempDirectory _dir = new("mesh-node");
    private readonly List<Pod> _pods = [];

    public MeshNode()
    {
        Node = TestNetns.Create("mnode");
        NodeNs = Node.Open();
        using (var rtnl = Rtnl.OpenIn(NodeNs))
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        Api = FakeKubeApi.StartAsync(NodeNs).GetAwaiter().GetResult();
        Kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
    }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public FakeKubeApi Api { get; }

    public string Kubeconfig { get; }

    public string DataDir => _dir.Combine("ipam");

    /// <summary>Writes the chain's conflist: sluice-bridge (dual stack), then sluice-redirect with <paramref name="redirect"/> added to its keys.</summary>
    public string Conflist(string profile, string redirect = "", string backend = "nft", string? kubeconfig = null)
    {
        var path = _dir.Combine($"{profile}-{Guid.NewGuid():N}.conflist");
        File.WriteAllText(path, $$"""
            {"cniVersion":"1.0.0","name":"podnet","plugins":[
              {"type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,"ipMasq":true,
               "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"10.45.0.0/24"}],[{"subnet":"fd45::/64"}]],"dataDir":"{{DataDir}}"} },
              {"type":"sluice-redirect","profile":"{{profile}}","backend":"{{backend}}",
               "kubernetes":{"kubeconfig":"{{kubeconfig ?? Kubeconfig}}","excludeNamespaces":["kube-system"]},
               "logLevel":"debug","logFile":"{{_dir.Combine("redirect.log")}}"{{redirect}} }
            ]}
            """);
        return path;
    }

    /// <summary>
    /// A pod sandbox: its namespace and the pod's name. Loopback up, as a runtime leaves it before
    /// the chain, unless <paramref name="loopbackUp"/> is false: containerd's go-cni brings it up with
    /// the loopback plugin at the same time as the chain (<see cref="RuntimeLoopbackStep"/>).
    /// </summary>
    public Pod NewPod(string name, bool loopbackUp = true)
    {
        var ns = TestNetns.Create("mpod");
        var pod = new Pod(name, "ctr-" + name, ns, ns.Open());
        _pods.Add(pod);
        if (loopbackUp)
        {
            using var rtnl = Rtnl.OpenIn(pod.NetNs);
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        return pod;
    }

    /// <summary>The loopback step of containerd's go-cni: Debian's loopback plugin, ADD on the pod's lo, as its network "cni-loopback".</summary>
    public static ProcessResult RuntimeLoopbackStep(Pod pod) => ProcessRunner.Run(
        "/usr/lib/cni/loopback",
        new Dictionary<string, string>
        {
            ["CNI_COMMAND"] = "ADD",
            ["CNI_CONTAINERID"] = pod.ContainerId,
            ["CNI_NETNS"] = pod.Namespace.Path,
            ["CNI_IFNAME"] = "lo",
            ["CNI_PATH"] = "/usr/lib/cni",
        },
        """{"cniVersion":"1.0.0","name":"cni-loopback","type":"loopback"}""");

    /// <summary>
    /// Runs the libcni driver in the node namespace, as containerd would for the pod;
    /// <paramref name="driver"/> names a copy of it to run instead (the runtime the plugins see as their parent).
    /// </summary>
    public ProcessResult Driver(string command, string conflist, Pod pod, string? netnsPath = null, string podNamespace = PodNamespace, string? driver = null)
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = $"{RepoPaths.BinDirectory}:/usr/lib/cni" };
        string[] args =
        [
            command, "-conflist", conflist, "-netns", netnsPath ?? pod.Namespace.Path, "-id", pod.ContainerId,
            "-cache-dir", _dir.Combine("cache"),
            "-args", $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={pod.Name};K8S_POD_INFRA_CONTAINER_ID={pod.ContainerId}",
        ];
        return ProcessRunner.RunIn(NodeNs, driver ?? GoTools.Path("cnidriver"), env, null, args);
    }

    /// <summary>A copy of the libcni driver under the file name <paramref name="name"/> (CRI-O's executable is <c>crio</c>), in this node's directory.</summary>
    public string DriverNamed(string name)
    {
        var path = _dir.Combine(name);
        File.Copy(GoTools.Path("cnidriver"), path, overwrite: true);
        return path;
    }

    /// <summary>The driver's ADD, which must succeed; returns the pod's IPv4 address.</summary>
    public IPAddress Add(string conflist, Pod pod)
    {
        var add = Driver("add", conflist, pod);
        Assert.True(add.ExitCode == 0, add + "\n" + Log());
        var ips = System.Text.Json.Nodes.JsonNode.Parse(add.Stdout)!["ips"]!.AsArray();
        var v4 = ips.Select(ip => (string)ip!["address"]!).First(a => !a.Contains(':', StringComparison.Ordinal));
        return IPAddress.Parse(v4.Split('/')[0]);
    }

    /// <summary>The node side of the test: a responder on the node for every port a pod probes.</summary>
    public Responder NodeResponder(int port) => Responder.Start(NodeNs, "node", System.Net.Sockets.ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, port));

    /// <summary>
    /// Links in the node namespace, by name, leaving out veths sluice-bridge's DEL released: they
    /// go with their pod's namespace (docs/bridge.md, "DEL"), which these tests keep until the end.
    /// </summary>
    public IReadOnlyList<string> NodeLinks()
    {
        using var rtnl = Rtnl.OpenIn(NodeNs);
        return rtnl.ListLinks()
            .Where(l => l.Alias?.StartsWith("sluice-released ", StringComparison.Ordinal) != true)
            .Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Addresses the IPAM store still holds.</summary>
    public IReadOnlyList<string> Allocations()
    {
        var dir = Path.Combine(DataDir, "podnet");
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(Path.GetFileName).Where(n => Sluice.Net.IpText.TryParse(n, out _)).Select(n => n!).ToList()
            : [];
    }

    /// <summary>What sluice-redirect logged so far (for failure messages).</summary>
    public string Log() => File.Exists(_dir.Combine("redirect.log")) ? File.ReadAllText(_dir.Combine("redirect.log")) : "(no redirect log)";

    public void Dispose()
    {
        Api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        foreach (var pod in _pods)
        {
            pod.Dispose();
        }

        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }
}

/// <summary>A pod sandbox on a <see cref="MeshNode"/>.</summary>
internal sealed record Pod(string Name, string ContainerId, TestNetns Namespace, NetNs NetNs) : IDisposable
{
    public void Dispose()
    {
        NetNs.Dispose();
        Namespace.Dispose();
    }

    /// <summary>The firewall inside the pod (nft ruleset and iptables-save of both families).</summary>
    public string Rules() =>
        Namespace.Exec("nft", "list", "ruleset") +
        Namespace.TryExec("iptables-nft-save").Stdout + Namespace.TryExec("ip6tables-nft-save").Stdout;
}
