using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// A node as kubelet sees it: a private containerd (its own root, state, socket and config under
/// a temporary directory) running inside a node network namespace, so the CNI plugins it execs
/// inherit that namespace and the bridge and host veths land there, not on the host; the fake
/// API server listens on the node's loopback. The sandbox image is built locally from
/// busybox-static. Two kinds of node:
/// <list type="bullet">
/// <item><see cref="Start()"/>: the CRI plugin runs the conflist [sluice-bridge + in-process
/// sluice-ipam, sluice-portmap (the portMappings capability), sluice-redirect] from a bin_dir of recording shims around the published plugins
/// (<see cref="Calls"/>), both directories under the temporary directory.</item>
/// <item><see cref="Start(IEnumerable{string}, Action{CriNode})"/>: containerd runs in a mount
/// namespace of its own with the node's directories (<see cref="Filesystem"/>), the CNI ones at
/// their standard paths, holding what the test (and a DaemonSet it runs) puts there.</item>
/// <item><see cref="StartBare"/>: the CRI plugin runs the caller's conflist and bin_dir (under the
/// temporary directory) with nothing between containerd and the plugins, and containerd serves its
/// metrics (its CNI and gRPC timings) on the node's loopback: for the benchmark.</item>
/// </list>
/// Everything goes on dispose, even after a failure (see CriNode.Teardown.cs).
/// </summary>
internal sealed partial class CriNode : IDisposable
{
    public const string PodNamespace = "shop";

    /// <summary>containerd's CNI directories on a node with its own directories (containerd's defaults).</summary>
    public const string NodeCniBinDir = "/opt/cni/bin";
    public const string NodeCniConfDir = "/etc/cni/net.d";
    public const string Gateway4 = "10.47.0.1";
    public static readonly IPNetwork Subnet4 = IPNetwork.Parse("10.47.0.0/24");
    public static readonly IPNetwork Subnet6 = IPNetwork.Parse("fd47::/64");

    /// <summary>Where containerd serves its Prometheus metrics on a node made by <see cref="StartBare"/> (the node's loopback).</summary>
    public const int MetricsPort = 1338;

    private readonly TempDirectory _dir = new("sluice-cri");
    private readonly List<string> _sandboxes = [];
    /// <summary>Whether /run/containerd was there before this test run (teardown removes it, empty, only otherwise).</summary>
    private static readonly bool RunContainerdExisted = Directory.Exists(RunContainerd);
    private readonly PluginCalls? _calls;
    private readonly Action<CriNode>? _prepare;
    private readonly bool _hostPortsInBridge;
    private Process? _containerd;

    private CriNode(IEnumerable<string>? nodePaths, Action<CriNode>? prepare, bool bare = false, bool hostPortsInBridge = false)
    {
        _hostPortsInBridge = hostPortsInBridge;
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Node = TestNetns.Create("cri");
        NodeNs = Node.Open();
        using (var rtnl = Rtnl.OpenIn(NodeNs))
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        Api = FakeKubeApi.StartAsync(NodeNs).GetAwaiter().GetResult();
        if (bare)
        {
            _prepare = prepare;
            Config = new ContainerdConfig(_dir.Path, _dir.Combine("cni-bin"), _dir.Combine("cni-conf"), SnapshotterFor(_dir.Path))
            {
                MetricsAddress = $"127.0.0.1:{MetricsPort}",
            };
        }
        else if (nodePaths is null)
        {
            _calls = PluginCalls.Install(_dir.Combine("cni-bin"), _dir.Combine("plugin-calls.log"));
            Config = new ContainerdConfig(_dir.Path, _calls.BinDir, _dir.Combine("cni-conf"), SnapshotterFor(_dir.Path));
        }
        else
        {
            // libcni's result cache and host-local-style IPAM stores live in /var/lib/cni.
            Filesystem = new NodeFilesystem(_dir.Combine("node"), [NodeCniBinDir, NodeCniConfDir, "/var/lib/cni", .. nodePaths]);
            _prepare = prepare;
            Config = new ContainerdConfig(_dir.Path, NodeCniBinDir, NodeCniConfDir, SnapshotterFor(_dir.Path));
        }

        Cri = new CriClient(Config.Socket, _dir.Combine("cri-api.pb"));
    }

    /// <summary>Distinguishes this node's network name, cgroup parent and libcni cache entries from any other test's.</summary>
    public string Id { get; }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public FakeKubeApi Api { get; }

    /// <summary>The recording shims' log (nodes made by <see cref="Start()"/>).</summary>
    public PluginCalls Calls => _calls ?? throw new InvalidOperationException("this node runs no recording shims");

    /// <summary>The node's own directories (nodes made by <see cref="Start(IEnumerable{string}, Action{CriNode})"/>), else null.</summary>
    public NodeFilesystem? Filesystem { get; }

    public ContainerdConfig Config { get; }

    public CriClient Cri { get; }

    public string NetworkName => $"cri-{Id}";

    public string CgroupParent => $"/slt-cri-{Id}";

    public string DataDir => _dir.Combine("ipam");

    /// <summary>The directory holding everything of this node (containerd's root and state among it).</summary>
    public string Dir => _dir.Path;

    /// <summary>
    /// Starts the node with the recording shims and the sluice-bridge + sluice-portmap + sluice-redirect conflist.
    /// Skips the test (with the reason) when containerd or runc is not installed; anything else
    /// that stops containerd from running fails it, with containerd's log.
    /// </summary>
    public static CriNode Start() => Start(null, null);

    /// <summary>
    /// As <see cref="Start()"/>, with the conflist sluice-agent writes when <paramref name="hostPortsInBridge"/>:
    /// sluice-bridge declares the portMappings capability and maps hostPorts itself, no sluice-portmap.
    /// </summary>
    public static CriNode Start(bool hostPortsInBridge) => Start(() => new CriNode(null, null, hostPortsInBridge: hostPortsInBridge));

    /// <summary>
    /// Starts a node with directories of its own at <paramref name="nodePaths"/>, the CNI
    /// directories and /var/lib/cni (see <see cref="NodeFilesystem"/>); <paramref name="prepare"/>
    /// fills them before containerd starts. Skips and fails as <see cref="Start()"/> does.
    /// </summary>
    public static CriNode Start(IEnumerable<string>? nodePaths, Action<CriNode>? prepare) => Start(() => new CriNode(nodePaths, prepare));

    /// <summary>
    /// Starts a node whose CNI bin_dir and conf_dir (<see cref="ContainerdConfig.BinDir"/>,
    /// <see cref="ContainerdConfig.ConfDir"/>, both empty) <paramref name="network"/> fills before
    /// containerd starts: no recording shims, containerd execs the plugins the caller put there.
    /// containerd serves its metrics at 127.0.0.1:<see cref="MetricsPort"/> in the node namespace.
    /// </summary>
    public static CriNode StartBare(Action<CriNode> network) => Start(() => new CriNode(null, network, bare: true));

    private static CriNode Start(Func<CriNode> create)
    {
        foreach (var tool in new[] { "/usr/bin/containerd", "/usr/bin/ctr", "/usr/sbin/runc", PauseImage.Busybox })
        {
            Assert.SkipUnless(File.Exists(tool), $"{tool} is missing: containerd, runc and busybox-static are Debian packages (scripts/prereqs.sh installs them)");
        }

        var node = create();
        try
        {
            node.Boot();
            return node;
        }
        catch
        {
            node.Dispose();
            throw;
        }
    }

    /// <summary>RunPodSandbox for <paramref name="name"/> in <see cref="PodNamespace"/>, with kubelet's port mappings (hostPort) if any; returns the sandbox ID.</summary>
    public string RunPod(string name, JsonArray? portMappings = null)
    {
        var config = CriClient.PodSandboxConfig(PodNamespace, name, PodLogDirectory(name), CgroupParent);
        if (portMappings is not null)
        {
            config["port_mappings"] = portMappings;
        }

        return RunPodSandbox(config);
    }

    /// <summary>RunPodSandbox with a whole PodSandboxConfig (its cgroup parent under <see cref="CgroupParent"/>); returns the sandbox ID.</summary>
    public string RunPodSandbox(JsonObject config)
    {
        // Kubelet names the sandbox with the API pod's UID, and the plugins check it (K8S_POD_UID).
        if (config["metadata"] is JsonObject metadata
            && Api.Pod((string)metadata["namespace"]!, (string)metadata["name"]!)?["metadata"]?["uid"] is JsonValue uid)
        {
            metadata["uid"] = (string)uid!;
        }

        try
        {
            var id = Cri.RunPodSandbox(config);
            lock (_sandboxes)
            {
                _sandboxes.Add(id);
            }

            return id;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Diagnostics()}", e);
        }
    }

    /// <summary>A pod's log directory (containerd writes its containers' logs below it).</summary>
    public string PodLogDirectory(string pod)
    {
        var logs = _dir.Combine("pods", pod);
        Directory.CreateDirectory(logs);
        return logs;
    }

    /// <summary>
    /// A sandbox's network namespace, by the path the CRI reports. With directories of its own,
    /// containerd mounts it in its mount namespace only: reached through containerd's /proc root.
    /// </summary>
    public NetNs OpenNetns(string path) => NetNs.Open(Filesystem is null ? path : $"/proc/{_containerd!.Id}/root{path}");

    /// <summary>SIGKILL to containerd, as a crash would: its shims, sandboxes and mounts stay behind.</summary>
    public void KillContainerd()
    {
        _containerd!.Kill();
        _containerd.WaitForExit();
    }

    /// <summary>Addresses the IPAM store still holds for this network.</summary>
    public IReadOnlyList<string> Allocations()
    {
        var dir = Path.Combine(DataDir, NetworkName);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir).Select(f => Path.GetFileName(f)!).Where(n => IPAddress.TryParse(n, out _)).ToList()
            : [];
    }

    /// <summary>Links in the node namespace, by name.</summary>
    public IReadOnlyList<string> NodeLinks()
    {
        using var rtnl = Rtnl.OpenIn(NodeNs);
        return rtnl.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Links in the node namespace once <paramref name="gone"/> has gone: a veth sluice-bridge's
    /// DEL released goes when the kernel tears down its pod's namespace, in the background after
    /// the last reference is dropped. Waits at most 10 s; returns the last list seen.
    /// </summary>
    public IReadOnlyList<string> NodeLinksSettled(string gone)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var links = NodeLinks();
        while (links.Contains(gone) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            links = NodeLinks();
        }

        return links;
    }

    /// <summary>The plugin calls, the plugins' logs and containerd's log, for failure messages.</summary>
    public string Diagnostics() =>
        (_calls is null ? "" : $"--- plugin calls\n{_calls.Text()}\n--- sluice-bridge log\n{ReadLog("bridge.log")}\n--- sluice-portmap log\n{ReadLog("portmap.log")}\n" +
            $"--- sluice-redirect log\n{ReadLog("redirect.log")}\n") +
        $"--- containerd log (last 40 lines)\n{string.Join('\n', ReadLog("containerd.log").Split('\n').TakeLast(40))}";

    /// <summary>
    /// overlayfs, containerd's default and what nodes use, unless the directory is itself on
    /// overlayfs (a container's root), which cannot be an upper layer: then the native snapshotter.
    /// </summary>
    private static string SnapshotterFor(string dir) =>
        ProcessRunner.Check("stat", "-f", "-c", "%T", dir).Trim() == "overlayfs" ? "native" : "overlayfs";

    private void Boot()
    {
        if (Filesystem is null)
        {
            Directory.CreateDirectory(Config.ConfDir);
            if (_calls is null)
            {
                Directory.CreateDirectory(Config.BinDir);
                _prepare!(this);
            }
            else
            {
                WriteConflist(Path.Combine(Config.ConfDir, "10-sluice.conflist"));
            }
        }
        else
        {
            Filesystem.Create();
            _prepare?.Invoke(this);
        }

        var config = Config.Write(_dir.Combine("config.toml"));
        StartContainerd(config);
        // A node whose network configuration a DaemonSet writes has none yet: its runtime is ready, its network not.
        WaitUntilReady(network: Filesystem is null);
        ImportPauseImage();
    }

    private void WriteConflist(string path)
    {
        var kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
        var bridge = JsonNode.Parse($$"""
            {"type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,"ipMasq":true,"hairpinMode":true,
             "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"{{Subnet4}}"}],[{"subnet":"{{Subnet6}}"}]],"dataDir":"{{DataDir}}"},
             {{(_hostPortsInBridge ? "\"capabilities\":{\"portMappings\":true}," : "")}}"logLevel":"debug","logFile":"{{_dir.Combine("bridge.log")}}"}
            """);
        var portmap = JsonNode.Parse($$"""
            {"type":"sluice-portmap","capabilities":{"portMappings":true},
             "logLevel":"debug","logFile":"{{_dir.Combine("portmap.log")}}"}
            """);
        var redirect = JsonNode.Parse($$"""
            {"type":"sluice-redirect","profile":"msm","backend":"nft",
             "kubernetes":{"kubeconfig":"{{kubeconfig}}","agentSocket":""},
             "logLevel":"debug","logFile":"{{_dir.Combine("redirect.log")}}"}
            """);
        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = NetworkName,
            ["plugins"] = new JsonArray(_hostPortsInBridge ? [bridge, redirect] : [bridge, portmap, redirect]),
        };
        File.WriteAllText(path, conflist.ToJsonString());
    }

    /// <summary>
    /// <c>nsenter --net=NODE containerd --config FILE</c>: only the network namespace changes
    /// (mounts stay visible to the test). With directories of its own, in a new mount namespace
    /// where they are bind-mounted first; its mounts receive the host's (slave) and are shared
    /// among themselves, as a node's root is, so a container's HostToContainer mount sees the pod
    /// namespaces containerd makes later, while nothing made in it reaches the host. Every step
    /// execs the next, so the process started is containerd.
    /// </summary>
    private void StartContainerd(string config)
    {
        const string Containerd = "exec nsenter --net=\"$1\" containerd --config \"$2\" >\"$3\" 2>&1";
        const string BindThenContainerd = "set -e; node=$1 config=$2 log=$3; shift 3; " +
            "while [ $# -gt 0 ]; do mount --bind \"$1\" \"$2\"; shift 2; done; mount --make-rshared /; " +
            "exec nsenter --net=\"$node\" containerd --config \"$config\" >\"$log\" 2>&1";
        string[] arguments = [Node.Path, config, _dir.Combine("containerd.log")];
        var start = Filesystem is null
            ? new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", Containerd, "sh" } }
            : new ProcessStartInfo("/usr/bin/unshare") { ArgumentList = { "--mount", "--propagation", "slave", "/bin/sh", "-c", BindThenContainerd, "sh" } };
        start.UseShellExecute = false;
        start.RedirectStandardInput = true;
        foreach (var argument in arguments.Concat(Filesystem?.Binds.SelectMany(bind => new[] { bind.Source, bind.Target }) ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        _containerd = Process.Start(start)!;
        _containerd.StandardInput.Close();
    }

    /// <summary>Waits until containerd's CRI reports the network ready (it has loaded a CNI configuration).</summary>
    public void WaitUntilNetworkReady() => WaitUntilReady(network: true);

    /// <summary>Waits for the CRI's RuntimeReady condition, and NetworkReady when <paramref name="network"/>.</summary>
    private void WaitUntilReady(bool network)
    {
        var deadline = Stopwatch.StartNew();
        var last = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_containerd!.HasExited)
            {
                throw new InvalidOperationException($"containerd exited with {_containerd.ExitCode}:\n{ReadLog("containerd.log")}");
            }

            if (File.Exists(Config.Socket))
            {
                var status = Cri.TryCall("Status");
                last = status.ToString();
                var conditions = status.ExitCode == 0 ? JsonNode.Parse(status.Stdout)!["status"]?["conditions"]?.AsArray() : null;
                if (conditions is not null && conditions.Count == 2 &&
                    conditions.All(c => (bool?)c!["status"] == true || (!network && (string?)c["type"] == "NetworkReady")))
                {
                    return;
                }
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"containerd's CRI was not ready{(network ? " (network included)" : "")} within 30 s (last Status: {last}):\n{ReadLog("containerd.log")}");
    }

    private string ReadLog(string name)
    {
        var path = _dir.Combine(name);
        return File.Exists(path) ? File.ReadAllText(path) : $"(no {name})";
    }
}
