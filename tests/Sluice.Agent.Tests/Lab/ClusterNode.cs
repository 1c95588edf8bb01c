using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Tests.Lab;

/// <summary>
/// One node of a test cluster: a node namespace with an underlay link, host-like directories,
/// the published sluice-agent running inside the namespace in primary-network mode (as the
/// DaemonSet runs it, settings from the environment), and pods created through the libcni driver
/// with the configuration and binaries the agent installed. Everything goes on dispose.
/// </summary>
internal sealed class ClusterNode : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir;
    private readonly List<(string Name, TestNetns Ns)> _pods = [];
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

    /// <summary>Starts sluice-agent inside the node namespace with <paramref name="kubeconfig"/> as its API access.</summary>
    public void StartAgent(string kubeconfig, string clusterCidrs, params (string Key, string Value)[] extra)
    {
        var source = _dir.Combine("opt/sluice/bin");
        Directory.CreateDirectory(source);
        foreach (var plugin in new[] { "sluice-bridge", "sluice-ipam" })
        {
            File.Copy(RepoPaths.Binary(plugin), Path.Combine(source, plugin));
        }

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
        Assert.True(_agent.WaitForExit(Patience), $"{Name}: the agent did not stop on SIGTERM");
        Assert.Equal(0, _agent.ExitCode);
        return _agentLog!.Result;
    }

    /// <summary>A pod on this node: its namespace, then the runtime's ADD through the agent's configuration. Returns the pod's addresses.</summary>
    public (string Ns, IPAddress V4, IPAddress V6) AddPod(string pod)
    {
        var ns = TestNetns.Create("cpod");
        _pods.Add((pod, ns));
        var add = Driver("add", pod, ns.Path);
        Assert.True(add.ExitCode == 0, $"{Name}: ADD of {pod} failed: {add}");
        var addresses = JsonNode.Parse(add.Stdout)!["ips"]!.AsArray().Select(ip => IPAddress.Parse(((string)ip!["address"]!).Split('/')[0])).ToList();
        return (ns.Name, addresses.Single(a => a.AddressFamily == AddressFamily.InterNetwork), addresses.Single(a => a.AddressFamily == AddressFamily.InterNetworkV6));
    }

    public ProcessResult DeletePod(string pod) => Driver("del", pod, _pods.Single(p => p.Name == pod).Ns.Path);

    /// <summary>Routes in the node's main table that carry Sluice's route protocol, as "CIDR via IP".</summary>
    public IReadOnlyList<string> SluiceRoutes()
    {
        using var rtnl = Rtnl.OpenIn(NetNs);
        return new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 }
            .SelectMany(f => rtnl.ListRoutes(f))
            .Where(r => r.Protocol == Sluice.Agent.Network.NodeRouteTable.Protocol)
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
                Assert.Fail($"{failure}\nagent log:\n{AgentLogSoFar()}");
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
        foreach (var (_, ns) in _pods)
        {
            ns.Dispose();
        }

        NetNs.Dispose();
        Ns.Dispose();
        _dir.Dispose();
    }

    private string AgentLogSoFar() => _agent is { HasExited: true } && _agentLog is not null ? _agentLog.Result : "(still running)";

    private ProcessResult Driver(string command, string pod, string netns)
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = BinDir };
        string[] args =
        [
            command, "-conflist", Conflist, "-netns", netns, "-id", $"ctr-{pod}", "-cache-dir", _dir.Combine("cache"),
            "-args", $"IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID=ctr-{pod}",
        ];
        return ProcessRunner.RunIn(NetNs, GoTools.Path("cnidriver"), env, null, args);
    }
}
