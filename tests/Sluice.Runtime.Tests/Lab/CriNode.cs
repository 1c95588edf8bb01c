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
/// inherit that namespace and the bridge and host veths land there, not on the host. Its CRI
/// plugin runs the conflist [sluice-bridge + in-process sluice-ipam, sluice-portmap (the
/// portMappings capability), sluice-redirect] from a
/// bin_dir of the published plugins; sluice-redirect looks pods up on a fake API server
/// listening on the node's loopback. The sandbox image is built locally from busybox-static.
/// Everything goes on dispose, even after a failure (see CriNode.Teardown.cs).
/// </summary>
internal sealed partial class CriNode : IDisposable
{
    public const string PodNamespace = "shop";
    public const string Gateway4 = "10.47.0.1";
    public static readonly IPNetwork Subnet4 = IPNetwork.Parse("10.47.0.0/24");
    public static readonly IPNetwork Subnet6 = IPNetwork.Parse("fd47::/64");

    private readonly TempDirectory _dir = new("sluice-cri");
    private readonly List<string> _sandboxes = [];
    /// <summary>Whether /run/containerd was there before this test run (teardown removes it, empty, only otherwise).</summary>
    private static readonly bool RunContainerdExisted = Directory.Exists(RunContainerd);
    private Process? _containerd;

    private CriNode()
    {
        Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        Node = TestNetns.Create("cri");
        NodeNs = Node.Open();
        using (var rtnl = Rtnl.OpenIn(NodeNs))
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        Api = FakeKubeApi.StartAsync(NodeNs).GetAwaiter().GetResult();
        Calls = PluginCalls.Install(_dir.Combine("cni-bin"), _dir.Combine("plugin-calls.log"));
        Config = new ContainerdConfig(_dir.Path, Calls.BinDir, _dir.Combine("cni-conf"), SnapshotterFor(_dir.Path));
        Cri = new CriClient(Config.Socket, _dir.Combine("cri-api.pb"));
    }

    /// <summary>Distinguishes this node's network name, cgroup parent and libcni cache entries from any other test's.</summary>
    public string Id { get; }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public FakeKubeApi Api { get; }

    public PluginCalls Calls { get; }

    public ContainerdConfig Config { get; }

    public CriClient Cri { get; }

    public string NetworkName => $"cri-{Id}";

    public string CgroupParent => $"/slt-cri-{Id}";

    public string DataDir => _dir.Combine("ipam");

    /// <summary>The directory holding everything of this node (containerd's root and state among it).</summary>
    public string Dir => _dir.Path;

    /// <summary>
    /// Starts the node. Skips the test (with the reason) when containerd or runc is not installed;
    /// anything else that stops containerd from running fails it, with containerd's log.
    /// </summary>
    public static CriNode Start()
    {
        foreach (var tool in new[] { "/usr/bin/containerd", "/usr/bin/ctr", "/usr/sbin/runc", PauseImage.Busybox })
        {
            Assert.SkipUnless(File.Exists(tool), $"{tool} is missing: containerd, runc and busybox-static are Debian packages (scripts/prereqs.sh installs them)");
        }

        var node = new CriNode();
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
        var logs = _dir.Combine("pods", name);
        Directory.CreateDirectory(logs);
        try
        {
            var id = Cri.RunPodSandbox(PodNamespace, name, logs, CgroupParent, portMappings);
            _sandboxes.Add(id);
            return id;
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message}\n{Diagnostics()}", e);
        }
    }

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

    /// <summary>The plugin calls, the plugins' logs and containerd's log, for failure messages.</summary>
    public string Diagnostics() =>
        $"--- plugin calls\n{Calls.Text()}\n--- sluice-bridge log\n{ReadLog("bridge.log")}\n--- sluice-portmap log\n{ReadLog("portmap.log")}\n" +
        $"--- sluice-redirect log\n{ReadLog("redirect.log")}\n" +
        $"--- containerd log (last 40 lines)\n{string.Join('\n', ReadLog("containerd.log").Split('\n').TakeLast(40))}";

    /// <summary>
    /// overlayfs, containerd's default and what nodes use, unless the directory is itself on
    /// overlayfs (a container's root), which cannot be an upper layer: then the native snapshotter.
    /// </summary>
    private static string SnapshotterFor(string dir) =>
        ProcessRunner.Check("stat", "-f", "-c", "%T", dir).Trim() == "overlayfs" ? "native" : "overlayfs";

    private void Boot()
    {
        Directory.CreateDirectory(Config.ConfDir);
        WriteConflist(Path.Combine(Config.ConfDir, "10-sluice.conflist"));
        var config = Config.Write(_dir.Combine("config.toml"));
        StartContainerd(config);
        WaitUntilReady();
        ImportPauseImage();
    }

    private void WriteConflist(string path)
    {
        var kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = NetworkName,
            ["plugins"] = new JsonArray(
                JsonNode.Parse($$"""
                    {"type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,"ipMasq":true,"hairpinMode":true,
                     "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"{{Subnet4}}"}],[{"subnet":"{{Subnet6}}"}]],"dataDir":"{{DataDir}}"},
                     "logLevel":"debug","logFile":"{{_dir.Combine("bridge.log")}}"}
                    """),
                JsonNode.Parse($$"""
                    {"type":"sluice-portmap","capabilities":{"portMappings":true},
                     "logLevel":"debug","logFile":"{{_dir.Combine("portmap.log")}}"}
                    """),
                JsonNode.Parse($$"""
                    {"type":"sluice-redirect","profile":"msm","backend":"nft",
                     "kubernetes":{"kubeconfig":"{{kubeconfig}}","agentSocket":""},
                     "logLevel":"debug","logFile":"{{_dir.Combine("redirect.log")}}"}
                    """)),
        };
        File.WriteAllText(path, conflist.ToJsonString());
    }

    /// <summary><c>nsenter --net=NODE containerd --config FILE</c>: only the network namespace changes (mounts stay visible to the test).</summary>
    private void StartContainerd(string config)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", "exec nsenter --net=\"$1\" containerd --config \"$2\" >\"$3\" 2>&1", "sh", Node.Path, config, _dir.Combine("containerd.log") })
        {
            start.ArgumentList.Add(argument);
        }

        _containerd = Process.Start(start)!;
        _containerd.StandardInput.Close();
    }

    private void WaitUntilReady()
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
                if (conditions is not null && conditions.All(c => (bool?)c!["status"] == true) && conditions.Count == 2)
                {
                    return;
                }
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException($"containerd's CRI was not ready within 30 s (last Status: {last}):\n{ReadLog("containerd.log")}");
    }

    /// <summary><c>ctr -a SOCKET -n k8s.io images import --snapshotter native pause.tar</c>, then waits until the CRI lists it.</summary>
    private void ImportPauseImage()
    {
        var tar = PauseImage.Write(_dir.Combine("pause.tar"));
        var import = ProcessRunner.Run("ctr", new Dictionary<string, string>(), null, ["-a", Config.Socket, "-n", "k8s.io", "images", "import", "--snapshotter", Config.Snapshotter, tar]);
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException($"importing the pause image failed: {import}");
        }

        var deadline = Stopwatch.StartNew();
        while (Cri.Call("ImageService/ImageStatus", $$$"""{"image":{"image":"{{{PauseImage.Reference}}}"} }""")["image"] is null)
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new TimeoutException($"the CRI does not list {PauseImage.Reference} after the import: {import}");
            }

            Thread.Sleep(100);
        }
    }

    private string ReadLog(string name)
    {
        var path = _dir.Combine(name);
        return File.Exists(path) ? File.ReadAllText(path) : $"(no {name})";
    }
}
