using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.TestSupport.Cluster;

/// <summary>
/// One node of a test cluster: a node namespace with an underlay link, host-like directories,
/// the published sluice-agent running inside the namespace in primary-network mode (as the
/// DaemonSet runs it, settings from the environment), and pods created through the libcni driver
/// with the configuration and binaries the agent installed. Everything goes on dispose.
/// Shared by the agent's tests and the demo.
/// </summary>
public sealed class ClusterNode : IDisposable
{
    /// <summary>Sluice's route protocol (the agent's NodeRouteTable.Protocol).</summary>
    public const byte RouteProtocol = 83;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir;
    private readonly List<(string Name, TestNetns Ns, NetNs NetNs)> _pods = [];
    private Dictionary<string, string> _environment = [];
    private Process? _agent;
    private Task<string>? _agentLog;

    public ClusterNode(string name)
    {
        Name = name;
        _dir = new TempDirectory($"node-{name}");
        Ns = TestNetns.Create("cnode");
        NetNs = Ns.Open();
        using var rtnl = Rtnl.OpenIn(NetNs);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
    }

    public string Name { get; }

    public TestNetns Ns { get; }

    public NetNs NetNs { get; }

    public string BinDir => _dir.Combine("opt/cni/bin");

    public string ConfDir => _dir.Combine("etc/cni/net.d");

    public string Conflist => Path.Combine(ConfDir, "05-sluice.conflist");

    /// <summary>
    /// Starts sluice-agent inside the node namespace with <paramref name="kubeconfig"/> as its API
    /// access (again after <see cref="StopAgent"/>: a restart, whose files are still in place).
    /// </summary>
    public void StartAgent(string kubeconfig, string clusterCidrs, params (string Key, string Value)[] extra)
    {
        var source = _dir.Combine("opt/sluice/bin");
        Directory.CreateDirectory(source);
        foreach (var plugin in new[] { "sluice-bridge", "sluice-ipam", "sluice-redirect", "sluice-kube" })
        {
            File.Copy(RepoPaths.Binary(plugin), Path.Combine(source, plugin), overwrite: true);
        }

        _agent?.Dispose();
        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        var environment = new Dictionary<string, string>
        {
            ["CNI_BIN_DIR"] = BinDir,
            ["CNI_CONF_DIR"] = ConfDir,
            ["SOURCE_DIR"] = source,
            ["RUN_DIR"] = _dir.Combine("var/run/sluice"),
            ["IPAM_DATA_DIR"] = _dir.Combine("var/lib/cni/networks"),
            ["KUBECONFIG"] = kubeconfig,
            ["NODE_NAME"] = Name,
            ["HEALTH_PORT"] = "0",
            ["PRIMARY_NETWORK"] = "true",
            ["CLUSTER_CIDR"] = clusterCidrs,
            ["CHAINED"] = "false",
            ["LOG_LEVEL"] = "debug",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        _environment = environment;
        _agent = NetNs.Run(() => Process.Start(start)!);
        _agentLog = _agent.StandardError.ReadToEndAsync();
    }

    /// <summary>Waits until the agent wrote the pod network's configuration; returns it.</summary>
    public JsonNode WaitForConflist()
    {
        Wait(() => File.Exists(Conflist) && File.Exists(Path.Combine(BinDir, "sluice-bridge")), $"{Name}: the agent wrote no {Conflist}");
        return JsonNode.Parse(File.ReadAllText(Conflist))!;
    }

    /// <summary>Sends SIGTERM and waits; returns the agent's log.</summary>
    public string StopAgent()
    {
        ProcessRunner.Check("kill", "-TERM", _agent!.Id.ToString(CultureInfo.InvariantCulture));
        if (!_agent.WaitForExit(Patience) || _agent.ExitCode != 0)
        {
            throw new ClusterException($"{Name}: the agent did not stop cleanly on SIGTERM\n{AgentLogSoFar()}");
        }

        return _agentLog!.Result;
    }

    /// <summary><c>sluice-agent uninstall</c> run in the node namespace with the agent's last settings (as the DaemonSet's pod would run it).</summary>
    /// <summary><c>sluice-agent status</c> on this node, with the agent's settings (as <c>kubectl exec</c> into its pod would run it).</summary>
    public ProcessResult Status() => ProcessRunner.RunIn(NetNs, RepoPaths.Binary("sluice-agent"), _environment, null, ["status"]);

    public ProcessResult Uninstall() => ProcessRunner.RunIn(NetNs, RepoPaths.Binary("sluice-agent"), _environment, null, ["uninstall"]);

    /// <summary>A pod on this node: its namespace, then the runtime's ADD through the agent's configuration (with <c>K8S_POD_UID</c> when <paramref name="uid"/> is given, as kubelet sends it). Returns the pod's addresses.</summary>
    public ClusterPod AddPod(string pod, string podNamespace = "default", string? uid = null)
    {
        var ns = TestNetns.Create("cpod");
        var netNs = ns.Open();
        _pods.Add((pod, ns, netNs));
        using (var rtnl = Rtnl.OpenIn(netNs))
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        var add = Driver("add", pod, ns.Path, podNamespace, uid);
        if (add.ExitCode != 0)
        {
            throw new ClusterException($"{Name}: ADD of {pod} failed: {add}");
        }

        var addresses = JsonNode.Parse(add.Stdout)!["ips"]!.AsArray().Select(ip => IPAddress.Parse(((string)ip!["address"]!).Split('/')[0])).ToList();
        return new ClusterPod(pod, podNamespace, ns, netNs, addresses.Single(a => a.AddressFamily == AddressFamily.InterNetwork), addresses.Single(a => a.AddressFamily == AddressFamily.InterNetworkV6));
    }

    public ProcessResult DeletePod(ClusterPod pod) => Driver("del", pod.Name, pod.Ns.Path, pod.KubeNamespace);

    /// <summary>The runtime's CHECK for the pod.</summary>
    public ProcessResult CheckPod(ClusterPod pod) => Driver("check", pod.Name, pod.Ns.Path, pod.KubeNamespace);

    /// <summary>The agent's log so far (complete once it has stopped).</summary>
    public string AgentLogSoFar() => _agent is { HasExited: true } && _agentLog is not null ? _agentLog.Result : "(still running)";

    /// <summary>Routes in the node's main table that carry Sluice's route protocol, as "CIDR via IP".</summary>
    public IReadOnlyList<string> SluiceRoutes()
    {
        using var rtnl = Rtnl.OpenIn(NetNs);
        return new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }
            .SelectMany(f => rtnl.ListRoutes(f))
            .Where(r => r.Protocol == RouteProtocol)
            .Select(r => $"{r.Destination} via {r.Gateway}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds or the patience runs out.</summary>
    public void Wait(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline || _agent is { HasExited: true })
            {
                throw new ClusterException($"{failure}\nagent log:\n{AgentLogSoFar()}");
            }

            Thread.Sleep(50);
        }
    }

    public void Dispose()
    {
        if (_agent is { HasExited: false })
        {
            _agent.Kill();
            _agent.WaitForExit();
        }

        _agent?.Dispose();
        foreach (var (_, ns, netNs) in _pods)
        {
            netNs.Dispose();
            ns.Dispose();
        }

        NetNs.Dispose();
        Ns.Dispose();
        _dir.Dispose();
    }

    private ProcessResult Driver(string command, string pod, string netns, string podNamespace, string? uid = null)
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = BinDir };
        string[] args =
        [
            command, "-conflist", Conflist, "-netns", netns, "-id", $"ctr-{pod}", "-cache-dir", _dir.Combine("cache"),
            "-args", $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID=ctr-{pod}" + (uid is null ? "" : $";K8S_POD_UID={uid}"),
        ];
        return ProcessRunner.RunIn(NetNs, GoTools.Path("cnidriver"), env, null, args);
    }
}
