using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sluice.Runtime.Tests.Lab;

namespace Sluice.Bench;

/// <summary>
/// A containerd node (the runtime tests' lab, <see cref="CriNode.StartBare"/>) whose CRI runs one
/// conflist from a bin_dir of links to the plugins: the Sluice chain, with the published
/// sluice-agent running in the node namespace (the istio profile's pod lookups, and the plugins'
/// call records on its log socket, whose durations it logs), or the reference chain.
/// </summary>
internal sealed partial class SandboxChain : IDisposable
{
    public const string AgentNode = "node-a";

    private static readonly string[] FloorSteps = ["noop-1", "noop-2", "noop-3"];

    private readonly List<string> _agentLog = [];
    private Process? _agent;

    private SandboxChain(string label, ChainRole role, CriNode node)
    {
        Label = label;
        Role = role;
        Node = node;
    }

    public string Label { get; }

    public ChainRole Role { get; }

    public CriNode Node { get; }

    public bool HasAgent => _agent is not null;

    /// <summary>
    /// <c>BENCH_SANDBOX_LOOKUP=https</c>: sluice-redirect looks pods up as it does while the agent is
    /// away (node boot, agent restarting), through sluice-kube over HTTPS; the agent still runs,
    /// for the plugins' call records only.
    /// </summary>
    public static bool LookupsOverHttps => Environment.GetEnvironmentVariable("BENCH_SANDBOX_LOOKUP") == "https";

    /// <summary>
    /// The Sluice chain as sluice-agent writes it, [sluice-bridge (sluice-ipam and the hostPort step
    /// in process), sluice-redirect (istio profile, lookups through the agent)]; with
    /// <paramref name="chainedPortmap"/>, [sluice-bridge, sluice-redirect, sluice-portmap], the
    /// hostPort step as its own plugin (the shape for a primary plugin other than sluice-bridge).
    /// </summary>
    public static SandboxChain Sluice(IEnumerable<(string Name, string Json)> pods, bool ipMasq, bool chainedPortmap)
    {
        var node = CriNode.StartBare(node =>
        {
            Link(node, RepoPaths.BinDirectory, "sluice-bridge", "sluice-ipam", "sluice-redirect", "sluice-portmap", "sluice-kube");
            Link(node, "/usr/lib/cni", "loopback");
            var run = AgentRunDirectory(node);
            var logSocket = Path.Combine(run, "log.sock");
            var kubeconfig = node.Api.WriteKubeconfig(Path.Combine(node.Dir, "kubeconfig"));
            var bridge = $$"""
                {"type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,"ipMasq":{{Json(ipMasq)}},"hairpinMode":true,
                 "ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"{{CriNode.Subnet4}}"}],[{"subnet":"{{CriNode.Subnet6}}"}]],"dataDir":"{{node.DataDir}}"},
                 {{(chainedPortmap ? "" : "\"capabilities\":{\"portMappings\":true},")}}"logSocket":"{{logSocket}}"}
                """;
            var redirect = $$"""
                {"type":"sluice-redirect","profile":"istio",
                 "kubernetes":{"kubeconfig":"{{kubeconfig}}","agentSocket":"{{(LookupsOverHttps ? "" : Path.Combine(run, "pods.sock"))}}","nodeName":"{{AgentNode}}"},
                 "logLevel":"info","logSocket":"{{logSocket}}"}
                """;
            var portmap = $$"""
                {"type":"sluice-portmap","capabilities":{"portMappings":true},"logSocket":"{{logSocket}}"}
                """;
            WriteConflist(node, chainedPortmap ? [bridge, redirect, portmap] : [bridge, redirect]);
        });
        var lookups = LookupsOverHttps ? "istio, lookups over HTTPS as without the agent" : "istio, agent";
        var chain = chainedPortmap
            ? new SandboxChain($"Sluice, hostPorts chained: sluice-bridge + sluice-ipam, sluice-redirect ({lookups}), sluice-portmap", ChainRole.SluiceChainedPortmap, node)
            : new SandboxChain($"Sluice: sluice-bridge + sluice-ipam + hostPorts, sluice-redirect ({lookups})", ChainRole.Sluice, node);
        try
        {
            foreach (var (name, json) in pods)
            {
                node.Api.SetPod(CriNode.PodNamespace, name, json);
            }

            chain.StartAgent();
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    /// <summary>[bridge + host-local, portmap] from Debian's containernetworking-plugins, the same network settings.</summary>
    public static SandboxChain Reference(IEnumerable<(string Name, string Json)> pods, bool ipMasq)
    {
        var node = CriNode.StartBare(node =>
        {
            Link(node, "/usr/lib/cni", "loopback", "bridge", "host-local", "portmap");
            WriteConflist(node, $$$"""
                {"type":"bridge","bridge":"cni0","isGateway":true,"isDefaultGateway":true,"ipMasq":{{{Json(ipMasq)}}},"hairpinMode":true,
                 "ipam":{"type":"host-local","ranges":[[{"subnet":"{{{CriNode.Subnet4}}}"}],[{"subnet":"{{{CriNode.Subnet6}}}"}]],"dataDir":"{{{node.DataDir}}}"}}
                """, """
                {"type":"portmap","capabilities":{"portMappings":true}}
                """);
        });
        foreach (var (name, json) in pods)
        {
            node.Api.SetPod(CriNode.PodNamespace, name, json);
        }

        return new SandboxChain("reference: bridge + host-local, portmap", ChainRole.Reference, node);
    }

    /// <summary>
    /// Three execs of <paramref name="noop"/> (bench/floor/noop-cni.c: reads its input, prints a
    /// fixed result, does nothing), the last with the portMappings capability as the chains'
    /// hostPort step has: what three plugins cost through this containerd before any does work.
    /// </summary>
    public static SandboxChain Floor(IEnumerable<(string Name, string Json)> pods, string noop)
    {
        var node = CriNode.StartBare(node =>
        {
            Link(node, "/usr/lib/cni", "loopback");
            foreach (var step in FloorSteps)
            {
                File.CreateSymbolicLink(Path.Combine(node.Config.BinDir, step), noop);
            }

            WriteConflist(node, $$"""{"type":"{{FloorSteps[0]}}"}""", $$"""{"type":"{{FloorSteps[1]}}"}""", $$$"""{"type":"{{{FloorSteps[2]}}}","capabilities":{"portMappings":true}}""");
        });
        foreach (var (name, json) in pods)
        {
            node.Api.SetPod(CriNode.PodNamespace, name, json);
        }

        return new SandboxChain("floor: three no-op execs (static C)", ChainRole.Floor, node);
    }

    /// <summary>The agent's log lines so far (its plugin call records among them).</summary>
    public int AgentLogLines
    {
        get
        {
            lock (_agentLog)
            {
                return _agentLog.Count;
            }
        }
    }

    /// <summary>
    /// The Sluice plugins' own timing of their calls since log line <paramref name="from"/>: each
    /// call's record ("sluice-bridge ADD container=… pod=…: ok in 3.2 ms", the time from the
    /// plugin's log being set up to its end, so without exec and runtime start) summed per command.
    /// </summary>
    public PluginTimes PluginTiming(int from)
    {
        // The records arrive as datagrams: let the agent log the last ones.
        Thread.Sleep(300);
        double add = 0, del = 0;
        var calls = 0;
        var addByPlugin = new SortedDictionary<string, double>(StringComparer.Ordinal);
        lock (_agentLog)
        {
            foreach (var match in _agentLog.Skip(from).Select(line => CallRecord().Match(line)).Where(m => m.Success))
            {
                var ms = double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture);
                calls++;
                if (match.Groups["command"].Value == "ADD")
                {
                    add += ms;
                    var plugin = match.Groups["plugin"].Value;
                    addByPlugin[plugin] = addByPlugin.GetValueOrDefault(plugin) + ms;
                }
                else
                {
                    del += ms;
                }
            }
        }

        return new PluginTimes(add, del, calls, addByPlugin);
    }

    /// <summary>
    /// sluice-redirect's waits for the runtime's loopback step since log line <paramref name="from"/>:
    /// for ADDs that found lo down, the ms until lo was seen up; for ADDs that found it up a moment
    /// after it came up (by the kernel's stamp of its ::1), the ms they waited; and how many gave up.
    /// </summary>
    public LoopbackWaits LoopbackWaits(int from)
    {
        lock (_agentLog)
        {
            var lines = _agentLog.Skip(from).ToList();
            List<double> Matches(Regex pattern) => lines.Select(line => pattern.Match(line)).Where(m => m.Success)
                .Select(m => double.Parse(m.Groups["ms"].Value, CultureInfo.InvariantCulture)).ToList();
            return new LoopbackWaits(
                Matches(LoopbackDownWait()),
                Matches(LoopbackUpWait()),
                lines.Count(line => line.Contains("lo was down and nothing brought it up", StringComparison.Ordinal)));
        }
    }

    public void Dispose()
    {
        if (_agent is not null)
        {
            _agent.Kill();
            _agent.WaitForExit();
            _agent.Dispose();
        }

        if (Directory.Exists(AgentRunDirectory(Node)))
        {
            Directory.Delete(AgentRunDirectory(Node), recursive: true);
        }

        Node.Dispose();
    }

    /// <summary>
    /// The node's sluice-agent run directory (its sockets, sluice-redirect's sandbox records), in
    /// Sluice's runtime directory as on a node (RUN_DIR is /var/run/sluice there), one per bench node.
    /// </summary>
    private static string AgentRunDirectory(CriNode node) => Path.Combine(NodeRunDirectory.Path, "bench-" + Path.GetFileName(node.Dir));

    [GeneratedRegex(@" (?<plugin>sluice-[a-z]+) (?<command>ADD|DEL|CHECK) .*: (ok|error[^:]*:.*) in (?<ms>[0-9.]+) ms$")]
    private static partial Regex CallRecord();

    [GeneratedRegex(@"lo was down: the runtime brought it up within (?<ms>[0-9.]+) ms")]
    private static partial Regex LoopbackDownWait();

    [GeneratedRegex(@"lo was up, for [0-9]+ ms or more by the kernel's stamp of its ::1: .*, (?<ms>[0-9.]+) ms of waiting")]
    private static partial Regex LoopbackUpWait();

    private static string Json(bool value) => value ? "true" : "false";

    private static void Link(CriNode node, string from, params string[] plugins)
    {
        foreach (var plugin in plugins)
        {
            File.CreateSymbolicLink(Path.Combine(node.Config.BinDir, plugin), Path.Combine(from, plugin));
        }
    }

    private static void WriteConflist(CriNode node, params string[] plugins)
    {
        var conflist = new JsonObject
        {
            ["cniVersion"] = "1.0.0",
            ["name"] = node.NetworkName,
            ["plugins"] = new JsonArray(plugins.Select(p => JsonNode.Parse(p)).ToArray()),
        };
        File.WriteAllText(Path.Combine(node.Config.ConfDir, "10-bench.conflist"), conflist.ToJsonString());
    }

    /// <summary>
    /// The published sluice-agent in the node namespace (the fake API server listens on the node's
    /// loopback), NODE_NAME=node-a, its own CNI directories left empty (it only waits there: the
    /// chain above is containerd's); waits until it answers lookups.
    /// </summary>
    private void StartAgent()
    {
        var dir = Node.Dir;
        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["CNI_BIN_DIR"] = Path.Combine(dir, "agent-bin");
        start.Environment["CNI_CONF_DIR"] = Path.Combine(dir, "agent-net.d");
        start.Environment["SOURCE_DIR"] = Directory.CreateDirectory(Path.Combine(dir, "agent-src")).FullName;
        var run = AgentRunDirectory(Node);
        start.Environment["RUN_DIR"] = run;
        start.Environment["KUBECONFIG"] = Node.Api.WriteKubeconfig(Path.Combine(dir, "agent-kubeconfig"));
        start.Environment["NODE_NAME"] = AgentNode;
        start.Environment["HEALTH_PORT"] = "0";
        start.Environment["LOG_LEVEL"] = "info";
        _agent = Node.NodeNs.Run(() => Process.Start(start)!);
        _agent.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (_agentLog)
                {
                    _agentLog.Add(line.Data);
                }
            }
        };
        _agent.OutputDataReceived += (_, _) => { };
        _agent.BeginErrorReadLine();
        _agent.BeginOutputReadLine();
        var watch = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(run, "pods.sock")) || !File.Exists(Path.Combine(run, "log.sock")))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(15) || _agent.HasExited)
            {
                throw new InvalidOperationException($"sluice-agent did not open its sockets:\n{string.Join('\n', _agentLog)}");
            }

            Thread.Sleep(20);
        }

        // Its cache is filled by the first list; give it that.
        Thread.Sleep(1000);
    }
}

/// <summary>What a chain is in the comparison: the one measured, the one it is measured against, or the floor under both.</summary>
internal enum ChainRole
{
    /// <summary>The chain sluice-agent writes: the bridge maps hostPorts itself.</summary>
    Sluice,

    /// <summary>The same with sluice-portmap as its own step, as after another primary plugin.</summary>
    SluiceChainedPortmap,
    Reference,
    Floor,
}

/// <summary>
/// sluice-redirect's waits for the runtime's loopback step in a round: ms until lo came up for the
/// ADDs that found it down, ms waited by those that found it just up, and how many gave up.
/// </summary>
internal sealed record LoopbackWaits(List<double> DownUntilUp, List<double> UpWaited, int GaveUp);

/// <summary>The Sluice plugins' own timings summed from their call records: ADD and DEL ms, how many calls, and ADD ms per plugin.</summary>
internal sealed record PluginTimes(double AddMs, double DelMs, int Calls, IReadOnlyDictionary<string, double> AddByPlugin);
