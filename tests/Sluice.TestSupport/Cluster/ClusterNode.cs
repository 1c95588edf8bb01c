using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
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
    private StringBuilder? _agentLogSoFar;
    private ProcessStartInfo? _agentStart;

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

    /// <summary>The agent's run directory (the plugins' kubeconfig, its sockets, the sandbox records).</summary>
    public string RunDir => _dir.Combine("var/run/sluice");

    /// <summary>The agent's process id (0 before it started).</summary>
    public int AgentId => _agent?.Id ?? 0;

    /// <summary>
    /// Starts sluice-agent inside the node namespace with <paramref name="kubeconfig"/> as its API
    /// access (again after <see cref="StopAgent"/>: a restart, whose files are still in place).
    /// </summary>
    public void StartAgent(string kubeconfig, string clusterCidrs, params (string Key, string Value)[] extra)
    {
        var source = _dir.Combine("opt/sluice/bin");
        Directory.CreateDirectory(source);
        foreach (var plugin in new[] { "sluice-bridge", "sluice-ipam", "sluice-portmap", "sluice-redirect", "sluice-kube" })
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

        _agentStart = start;
        _environment = environment;
        LaunchAgent();
    }

    /// <summary>Starts the agent again with the same settings (and <paramref name="changes"/>) after it stopped (as kubelet restarts a container).</summary>
    public void RestartAgent(params (string Key, string Value)[] changes)
    {
        if (_agent is { HasExited: false })
        {
            throw new ClusterException($"{Name}: the agent is still running");
        }

        foreach (var (key, value) in changes)
        {
            _agentStart!.Environment[key] = value;
            _environment[key] = value;
        }

        _agent?.Dispose();
        LaunchAgent();
    }

    /// <summary>SIGKILL: the agent ends without any cleanup; returns its log.</summary>
    public string KillAgent()
    {
        _agent!.Kill();
        _agent.WaitForExit();
        return _agentLog!.Result;
    }

    private void LaunchAgent()
    {
        _agent = NetNs.Run(() => Process.Start(_agentStart!)!);

        // Read line by line on a thread of its own, so that a test that fails while the agent
        // still runs can print what it logged so far.
        var stderr = _agent.StandardError;
        var log = _agentLogSoFar = new StringBuilder();
        _agentLog = Task.Factory.StartNew(
            () =>
            {
                while (stderr.ReadLine() is { } line)
                {
                    lock (log)
                    {
                        log.Append(line).Append('\n');
                    }
                }

                lock (log)
                {
                    return log.ToString();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>
    /// Addresses the node's underlay link <c>ul0</c> (/24 and /64) and brings it up, with default
    /// routes via the gateways when given (nodes behind a router).
    /// </summary>
    public void AddressUnderlay(string v4, string v6, string? gateway4 = null, string? gateway6 = null)
    {
        // A real node's link finished DAD long ago; a fresh veth's link-local stays tentative for
        // a second or two, and until then the kernel sends no neighbour solicitation for the
        // packets it forwards over it (it needs a usable link-local source).
        Sluice.Linux.Sysctl.Sysctl.Write(NetNs, "net/ipv6/conf/ul0/accept_dad", "0");
        using var rtnl = Rtnl.OpenIn(NetNs);
        var link = rtnl.GetLink("ul0");
        rtnl.AddAddress(link.Index, IPAddress.Parse(v4), 24);
        rtnl.AddAddress(link.Index, IPAddress.Parse(v6), 64, AddressFlags.NoDad);
        rtnl.SetUp(link.Index);
        if (gateway4 is not null)
        {
            rtnl.AddRoute(Route.Default(AddressFamily.InterNetwork) with { Gateway = IPAddress.Parse(gateway4) });
        }

        if (gateway6 is not null)
        {
            rtnl.AddRoute(Route.Default(AddressFamily.InterNetworkV6) with { Gateway = IPAddress.Parse(gateway6) });
        }
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

    /// <summary><c>sluice-agent status</c> on this node, with the agent's settings (as <c>kubectl exec</c> into its pod would run it).</summary>
    public ProcessResult Status() => ProcessRunner.RunIn(NetNs, RepoPaths.Binary("sluice-agent"), _environment, null, ["status"]);

    /// <summary><c>sluice-agent uninstall</c> run in the node namespace with the agent's last settings (as the DaemonSet's pod would run it).</summary>
    public ProcessResult Uninstall() => ProcessRunner.RunIn(NetNs, RepoPaths.Binary("sluice-agent"), _environment, null, ["uninstall"]);

    /// <summary>
    /// A pod on this node: its namespace, then the runtime's ADD through the agent's configuration
    /// (or <paramref name="conflist"/>), with the pod's UID in CNI_ARGS when given. Returns the pod's addresses.
    /// </summary>
    public ClusterPod AddPod(string pod, string podNamespace = "default", string? uid = null, string? conflist = null, params string[] portMappings) =>
        TryAddPod(pod, podNamespace, uid, conflist, out var add, portMappings) ?? throw new ClusterException($"{Name}: ADD of {pod} failed: {add}");

    /// <summary>As <see cref="AddPod"/>; a failed ADD is followed by the runtime's DEL and the namespace goes (null, with the ADD's result).</summary>
    /// <remarks><paramref name="portMappings"/>: the pod's hostPorts as the runtime passes them (portMappings capability), each HOST:CONTAINER/PROTO[@HOSTIP].</remarks>
    public ClusterPod? TryAddPod(string pod, string podNamespace, string? uid, string? conflist, out ProcessResult add, params string[] portMappings)
    {
        var ns = TestNetns.Create("cpod");
        var netNs = ns.Open();
        using (var rtnl = Rtnl.OpenIn(netNs))
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
        }

        add = Driver("add", pod, ns.Path, podNamespace, uid, conflist, portMappings);
        if (add.ExitCode != 0)
        {
            Driver("del", pod, ns.Path, podNamespace, uid, conflist);
            netNs.Dispose();
            ns.Dispose();
            return null;
        }

        lock (_pods)
        {
            _pods.Add((pod, ns, netNs));
        }

        var addresses = JsonNode.Parse(add.Stdout)!["ips"]!.AsArray().Select(ip => IPAddress.Parse(((string)ip!["address"]!).Split('/')[0])).ToList();
        return new ClusterPod(pod, podNamespace, ns, netNs, addresses.Single(a => a.AddressFamily == AddressFamily.InterNetwork), addresses.Single(a => a.AddressFamily == AddressFamily.InterNetworkV6));
    }

    /// <summary>The runtime's DEL, then the pod's namespace goes (as when a pod is deleted); the DEL's result.</summary>
    public ProcessResult RemovePod(ClusterPod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var del = DeletePod(pod);
        lock (_pods)
        {
            _pods.RemoveAll(p => p.Ns == pod.Ns);
        }

        pod.NetNs.Dispose();
        pod.Ns.Dispose();
        return del;
    }

    /// <summary>A copy of the agent's configuration without sluice-redirect (as the primary writes it before the agent chains into it); its path.</summary>
    public string ConflistWithoutRedirect()
    {
        var list = JsonNode.Parse(File.ReadAllText(Conflist))!.AsObject();
        var plugins = list["plugins"]!.AsArray();
        foreach (var redirect in plugins.Where(p => (string?)p!["type"] == "sluice-redirect").ToList())
        {
            plugins.Remove(redirect);
        }

        var path = _dir.Combine("without-redirect.conflist");
        File.WriteAllText(path, list.ToJsonString());
        return path;
    }

    public ProcessResult DeletePod(ClusterPod pod) => Driver("del", pod.Name, pod.Ns.Path, pod.KubeNamespace);

    /// <summary>The runtime's CHECK for the pod.</summary>
    public ProcessResult CheckPod(ClusterPod pod) => Driver("check", pod.Name, pod.Ns.Path, pod.KubeNamespace);

    /// <summary>GET <paramref name="path"/> from 127.0.0.1:<paramref name="port"/> of the node (where its agent serves /metrics); the body.</summary>
    public string Get(int port, string path) => NetNs.Run(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 3000 };
        socket.Connect(IPAddress.Loopback, port);
        socket.Send(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        var response = reader.ReadToEnd();
        var body = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return body < 0 ? response : response[(body + 4)..];
    });

    /// <summary>Whether the agent process has ended (killed, stopped, or crashed).</summary>
    public bool AgentHasExited => _agent is { HasExited: true };

    /// <summary>
    /// Links of the node namespace a pod left behind (every link but lo, the underlay and the
    /// bridge), each with what tells a leak from the kernel's slow teardown: its alias (whose
    /// attachment, and whether DEL released it), and whether its peer's namespace still lives
    /// (the node still has an id for it: then something holds it, and the processes in it are
    /// named) or is being torn down (no id: the kernel's cleanup has not reached it yet). Only
    /// names unless <paramref name="describe"/> (the search for processes reads all of /proc).
    /// </summary>
    public IReadOnlyList<string> LeftoverLinks(bool describe = false)
    {
        using var rtnl = Rtnl.OpenIn(NetNs);
        return rtnl.ListLinks().Where(l => l.Name is not ("lo" or "ul0" or "sluice0")).Select(l => $"link {l.Name} in {Name}" + (!describe ? "" : $" (alias '{l.Alias}'; " +
            (l.PeerNetnsId is { } id ? $"its peer's namespace lives, id {id}, held by: [{string.Join(", ", HoldersOf(rtnl, id))}])" : "no peer namespace id: being torn down)"))).ToList();
    }

    /// <summary>
    /// The threads in the network namespace the node's namespace knows as <paramref name="id"/>,
    /// and the processes holding a descriptor of it (a socket opened in it holds it too, but shows
    /// no namespace: none is found here).
    /// </summary>
    private static List<string> HoldersOf(Rtnl rtnl, int id)
    {
        var found = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out _)))
        {
            var name = $"{Path.GetFileName(process)} {Read(Path.Combine(process, "comm"))}";
            foreach (var task in Enumerate(Path.Combine(process, "task"), directories: true))
            {
                if (Is(Path.Combine(task, "ns", "net")))
                {
                    found.Add($"{name}: thread {Path.GetFileName(task)} in it");
                }
            }

            foreach (var fd in Enumerate(Path.Combine(process, "fd"), directories: false))
            {
                // Opened through /proc/PID/ns/net the target reads net:[INODE]; through a bind
                // mount, the mount's path.
                if (LinkTarget(fd) is { } target && (target.StartsWith("net:[", StringComparison.Ordinal) || target.Contains("netns", StringComparison.Ordinal)) && Is(fd))
                {
                    found.Add($"{name}: descriptor {Path.GetFileName(fd)}");
                }
            }
        }

        return found;

        bool Is(string path)
        {
            try
            {
                using var ns = NetNs.Open(path);
                return rtnl.IdOf(ns) == id;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
            {
                return false; // gone meanwhile, or a kernel thread
            }
        }
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static List<string> Enumerate(string directory, bool directories)
    {
        try
        {
            return directories ? [.. Directory.EnumerateDirectories(directory)] : [.. Directory.EnumerateFiles(directory)];
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Addresses still allocated in the node's IPAM store (every file but the lock, the last-reserved hints and the index marker).</summary>
    public IReadOnlyList<string> IpamLeftovers()
    {
        var store = _dir.Combine("var/lib/cni/networks");
        return Directory.Exists(store)
            ? Directory.EnumerateFiles(store, "*", SearchOption.AllDirectories)
                .Where(f => Path.GetFileName(f) is var n && n != "lock" && n != ".sluice-indexed" && !n.StartsWith("last_reserved_ip.", StringComparison.Ordinal))
                .Select(f => $"IPAM allocation {Path.GetRelativePath(store, f)} on {Name}").ToList()
            : [];
    }

    /// <summary>The agent's log so far (complete once it has stopped).</summary>
    public string AgentLogSoFar()
    {
        if (_agent is { HasExited: true } && _agentLog is not null)
        {
            return _agentLog.Result;
        }

        if (_agentLogSoFar is not { } log)
        {
            return "(not started)";
        }

        lock (log)
        {
            return log + "(still running)";
        }
    }

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

    private ProcessResult Driver(string command, string pod, string netns, string podNamespace, string? uid = null, string? conflist = null, string[]? portMappings = null)
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = BinDir };
        string[] args =
        [
            command, "-conflist", conflist ?? Conflist, "-netns", netns, "-id", $"ctr-{pod}", "-cache-dir", _dir.Combine("cache"),
            "-args", $"IgnoreUnknown=1;K8S_POD_NAMESPACE={podNamespace};K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID=ctr-{pod}" + (uid is null ? "" : $";K8S_POD_UID={uid}"),
            .. (portMappings ?? []).SelectMany(m => new[] { "-portmap", m }),
        ];
        return ProcessRunner.RunIn(NetNs, GoTools.Path("cnidriver"), env, null, args);
    }
}
