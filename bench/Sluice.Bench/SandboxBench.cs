using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Sluice.Runtime.Tests.Lab;

namespace Sluice.Bench;

/// <summary>
/// Pod sandboxes end to end through containerd 1.6's CRI, kubelet's path (the runtime tests' lab):
/// RunPodSandbox, then StopPodSandbox + RemovePodSandbox, for N Istio-injected pods with one
/// hostPort each, one at a time and 10 at a time, on four containerd nodes side by side: the Sluice
/// chain as sluice-agent writes it (the bridge maps hostPorts), the same with sluice-portmap chained,
/// the reference chain and a floor chain of three no-op plugins (<see cref="SandboxChain"/>). Wall times are the CRI client's
/// (a Go process per call, as crictl; its own cost is the harness row); the share in CNI is
/// containerd's own: its CNI timer over its gRPC handling time, both from its metrics.
/// </summary>
internal static class SandboxBench
{
    private const int Concurrency = 10;
    private const int Warmup = 3;
    private const int FirstHostPort = 20000;

    public static void Run(int count)
    {
        var ipMasq = Environment.GetEnvironmentVariable("BENCH_IPMASQ") == "true";
        var pods = Enumerable.Range(0, Math.Max(count, Warmup)).Select(i => (Name(i), SamplePods.Istio(CriNode.PodNamespace, Name(i), SandboxChain.AgentNode))).ToList();
        using var runDirectory = NodeRunDirectory.ForRun();
        var loadBefore = LoadAverage();
        // BENCH_SANDBOX_CHAINS=sluice: the Sluice chain alone, no ratios (e.g. to count the loopback race).
        var sluiceOnly = Environment.GetEnvironmentVariable("BENCH_SANDBOX_CHAINS") == "sluice";
        using var sluice = SandboxChain.Sluice(pods, ipMasq, chainedPortmap: false);
        using var chained = sluiceOnly ? null : SandboxChain.Sluice(pods, ipMasq, chainedPortmap: true);
        using var reference = sluiceOnly ? null : SandboxChain.Reference(pods, ipMasq);
        using var floor = sluiceOnly ? null : SandboxChain.Floor(pods, NoopPlugin());
        SandboxChain[] chains = chained is null || reference is null || floor is null ? [sluice] : [sluice, chained, reference, floor];
        var harness = Stats.Of(Enumerable.Range(0, 20).Select(_ => Time(() => sluice.Node.Cri.Call("Version"))).ToList());
        foreach (var chain in chains)
        {
            Measure(chain, Warmup, 1);
        }

        var rounds = new List<Round>();
        foreach (var concurrency in Concurrencies())
        {
            rounds.AddRange(chains.Select(chain => Measure(chain, count, concurrency)));
        }

        Write(rounds, count, harness, ipMasq, loadBefore, LoadAverage(), sluiceOnly, runDirectory.Condition);
    }

    /// <summary>One at a time, then 10 at a time; <c>BENCH_SANDBOX_CONCURRENCY=10</c> (a comma-separated list) runs only those, e.g. to count the loopback race.</summary>
    private static int[] Concurrencies() =>
        Environment.GetEnvironmentVariable("BENCH_SANDBOX_CONCURRENCY") is { Length: > 0 } list
            ? list.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Distinct().ToArray()
            : [1, Concurrency];

    private static string Name(int i) => $"pod-{i:D3}";

    /// <summary>bench/floor/noop-cni.c compiled (static) into artifacts/bench, for the floor chain.</summary>
    private static string NoopPlugin()
    {
        const string Gcc = "/usr/bin/gcc";
        if (!File.Exists(Gcc))
        {
            throw new InvalidOperationException($"{Gcc} is needed for the floor chain (apt-get install gcc)");
        }

        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "bench")).FullName, "noop-cni");
        ProcessRunner.Check(Gcc, "-O2", "-static", "-o", output, Path.Combine(RepoPaths.Root, "bench", "floor", "noop-cni.c"));
        return output;
    }

    private static JsonArray Mapping(int i) =>
        [new JsonObject { ["protocol"] = "TCP", ["container_port"] = 80, ["host_port"] = FirstHostPort + i }];

    private static Round Measure(SandboxChain chain, int count, int concurrency)
    {
        var node = chain.Node;
        var ids = new string[count];
        var logStart = chain.AgentLogLines;
        var before = Metrics(node);
        var (run, runSpan, failures) = Timed(count, concurrency, i => ids[i] = node.RunPod(Name(i), Mapping(i)));
        var afterRun = Metrics(node);
        var own = chain.HasAgent ? chain.PluginTiming(logStart) : null;
        var loopback = chain.HasAgent ? chain.LoopbackWaits(logStart) : default;
        var (stop, stopSpan, stopFailures) = Timed(count, concurrency, i =>
        {
            if (ids[i] is not null)
            {
                node.Cri.StopPodSandbox(ids[i]);
                node.Cri.RemovePodSandbox(ids[i]);
            }
        });
        if (stopFailures.Count > 0)
        {
            throw new AggregateException("StopPodSandbox or RemovePodSandbox failed", stopFailures);
        }

        var ran = ids.Count(id => id is not null);
        var after = Metrics(node);
        var ownAll = chain.HasAgent ? chain.PluginTiming(logStart) : null;
        return new Round(
            chain.Label,
            chain.Role,
            concurrency,
            Stats.Of(run),
            Stats.Of(stop.Where((_, i) => ids[i] is not null).ToList()),
            runSpan + stopSpan,
            Delta(before, afterRun, m => m.Cni(ContainerdMetrics.SetUp)),
            Delta(before, afterRun, m => m.Grpc("RunPodSandbox")),
            Delta(afterRun, after, m => m.Cni(ContainerdMetrics.TearDown)),
            Delta(afterRun, after, m => Add(m.Grpc("StopPodSandbox"), m.Grpc("RemovePodSandbox"))),
            chain.HasAgent ? (own!.AddMs / ran, ownAll!.DelMs / ran, ownAll.Calls, string.Join(", ", own.AddByPlugin.Select(p => $"{p.Key} {Report.Ms(p.Value / ran)}"))) : null,
            failures.Select(f => f.Message.Split('\n')[0]).ToList(),
            chain.HasAgent ? loopback : null);
    }

    private static ContainerdMetrics Metrics(CriNode node) => ContainerdMetrics.Read(node.NodeNs, CriNode.MetricsPort);

    private static (double Seconds, double Count) Add((double Seconds, double Count) a, (double Seconds, double Count) b) => (a.Seconds + b.Seconds, a.Count + b.Count);

    private static (double Seconds, double Count) Delta(ContainerdMetrics from, ContainerdMetrics to, Func<ContainerdMetrics, (double Seconds, double Count)> read)
    {
        var (s0, c0) = read(from);
        var (s1, c1) = read(to);
        return (s1 - s0, c1 - c0);
    }

    /// <summary>
    /// Runs <paramref name="action"/> for 0..count-1 on <paramref name="concurrency"/> threads of its
    /// own; the wall ms of each call that succeeded, the makespan in seconds, and the calls that failed.
    /// </summary>
    private static (List<double> Samples, double Makespan, List<Exception> Failures) Timed(int count, int concurrency, Action<int> action)
    {
        var samples = new double?[count];
        var next = -1;
        var errors = new ConcurrentQueue<Exception>();
        var total = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, concurrency).Select(_ => new Thread(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                try
                {
                    samples[i] = Time(() => action(i));
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    errors.Enqueue(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return (samples.Where(s => s is not null).Select(s => s!.Value).ToList(), total.Elapsed.TotalSeconds, [.. errors]);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static void Write(List<Round> rounds, int count, Stats harness, bool ipMasq, string loadBefore, string loadAfter, bool sluiceOnly, string runDirectory)
    {
        var report = new Report("sandbox", $"Pod sandboxes through containerd {ContainerdVersion()}'s CRI: {count} sandboxes, " +
            (sluiceOnly ? "the Sluice chain alone (BENCH_SANDBOX_CHAINS=sluice)" : "Sluice chain (and with sluice-portmap chained) vs reference chain, over a floor chain"));
        foreach (var round in rounds)
        {
            report.Row(
                round.Chain,
                round.Concurrency == 1 ? "sequential" : $"{round.Concurrency} at a time",
                $"{Report.Ms(round.Run.Median)} / {Report.Ms(round.Run.P99)}",
                $"{Report.Ms(round.Stop.Median)} / {Report.Ms(round.Stop.P99)}",
                $"{Report.Ms(round.RunCni.Seconds * 1000 / round.RunCni.Count)} / {Report.Ms(round.StopCni.Seconds * 1000 / round.Stop.Runs)}",
                $"{round.RunCni.Seconds / round.RunGrpc.Seconds:F2} / {round.StopCni.Seconds / round.StopGrpc.Seconds:F2}",
                round.Own is { } own ? $"{Report.Ms(own.AddMs)} / {Report.Ms(own.DelMs)} (ADD: {own.AddByPlugin})" : "— (no timing of their own)",
                $"{round.Makespan:F1}",
                round.Failures.Count.ToString(CultureInfo.InvariantCulture),
                round.Loopback is { } lo ? LoopbackCell(lo) : "—");
        }

        report.Write(
            ["chain", "mode", "RunPodSandbox median / p99 ms", "Stop+Remove median / p99 ms", "CNI ms per sandbox, run / stop+remove", "CNI share of containerd's handling, run / stop+remove", "plugins' own ms per sandbox, ADD / DEL (ADD per plugin)", "makespan s", "failed RunPodSandbox", "ADDs that waited for the runtime's lo: found down (median / max ms until up); found just up (median / max ms waited)"],
            Notes(rounds, count, harness, ipMasq, loadBefore, loadAfter, sluiceOnly, runDirectory));
    }

    private static string LoopbackCell(LoopbackWaits lo) =>
        $"down: {Waits(lo.DownUntilUp)}; just up: {Waits(lo.UpWaited)}" + (lo.GaveUp > 0 ? $", {lo.GaveUp} gave up" : "");

    private static string Waits(List<double> ms) =>
        ms.Count == 0 ? "0" : $"{ms.Count} ({Report.Ms(Stats.Of(ms).Median)} / {Report.Ms(ms.Max())})";

    private static string Notes(List<Round> rounds, int count, Stats harness, bool ipMasq, string loadBefore, string loadAfter, bool sluiceOnly, string runDirectory)
    {
        var ratios = rounds.Where(r => r.Role is ChainRole.Sluice or ChainRole.SluiceChainedPortmap).Select(s =>
        {
            var mode = (s.Concurrency == 1 ? "sequential" : $"{s.Concurrency} at a time") + (s.Role == ChainRole.SluiceChainedPortmap ? ", hostPorts chained" : "");
            var r = rounds.SingleOrDefault(x => x.Role == ChainRole.Reference && x.Concurrency == s.Concurrency);
            if (r is null)
            {
                return $"{mode}: no reference run";
            }

            double Share(Round x) => x.RunCni.Seconds / x.RunGrpc.Seconds;
            double CniMs(Round x) => x.RunCni.Seconds * 1000 / x.RunCni.Count;
            var floor = rounds.SingleOrDefault(x => x.Role == ChainRole.Floor && x.Concurrency == s.Concurrency);
            var floorText = floor is null ? "" :
                $"; the floor chain's share is {Share(floor):F2} = {Share(floor) / Share(r):F2} of the reference's ({Report.Ms(CniMs(floor))} ms of CNI), so that chain costs {Report.Ms(CniMs(s) - CniMs(floor))} ms of CNI per sandbox more than three execs that do nothing, the reference's {Report.Ms(CniMs(r) - CniMs(floor))} ms";
            return $"{mode}: CNI share {Share(s):F2} vs {Share(r):F2} = **{Share(s) / Share(r):F2}** of the reference's " +
                $"(CNI time per RunPodSandbox {Report.Ms(CniMs(s))} vs {Report.Ms(CniMs(r))} ms = {CniMs(s) / CniMs(r):F2}){floorText}";
        });
        var failures = rounds.Where(r => r.Failures.Count > 0).Select(r => $"{r.Chain}, {(r.Concurrency == 1 ? "sequential" : $"{r.Concurrency} at a time")}: {r.Failures.Count} failed, first: `{r.Failures[0]}`").ToList();
        return (failures.Count == 0 ? "" : $"**Failed RunPodSandbox calls** (not in the timings; their pods not stopped): {string.Join("; ", failures)}.\n\n") +
            $"Ratios for RunPodSandbox (target: the Sluice chain's CNI share ≤ 0.3 of the reference chain's): {string.Join("; ", ratios)}.\n\n" +
            $"{count} sandboxes per row after {Warmup} untimed warm-up sandboxes per chain; rows run in the order shown, {(sluiceOnly ? "one containerd node" : "the four containerd nodes up side by side")}. " +
            $"Each sandbox is an Istio-injected pod (the fake API server serves it) with one hostPort (TCP {FirstHostPort}+i → 80); all {count} are run, then all stopped and removed. " +
            $"Network: dual stack ({CriNode.Subnet4}, {CriNode.Subnet6}), isGateway, isDefaultGateway, hairpinMode, ipMasq {(ipMasq ? "true" : "false (flannel's shape; BENCH_IPMASQ=true for the other)")}; " +
            "containerd 1.6 (go-cni) attaches its loopback network at the same time as the chain, concurrently, and its CNI timer covers both. " +
            "The passthrough source ::6 goes on lo no sooner than 20 ms after lo came up (docs/capture.md): when lo is still down as sluice-redirect's ADD begins, it waits until the loopback plugin has brought lo up and 20 ms more; when lo is up, for what is left of 20 ms since the kernel stamped lo's ::1. The last column counts those ADDs and their waits (from their log lines: sluice-redirect logs at info here, three or four more records per ADD to the agent's socket). Plugins: the published NativeAOT binaries (artifacts/bin) and Debian's containernetworking-plugins, linked into containerd's bin_dir, nothing in between. " +
            (sluiceOnly ? "" : "The floor chain is three execs of bench/floor/noop-cni.c (static C: reads its input, prints a fixed result, creates nothing), the same loopback network beside it: what any three-plugin chain costs through this containerd before its plugins do work. ") +
            "The Sluice chain is the one sluice-agent writes: sluice-bridge declares the portMappings capability and maps the hostPort itself (docs/bridge.md, \"hostPorts\"), sluice-redirect after it; the chained row runs the hostPort step as sluice-portmap after them, as after another primary plugin. " +
            "sluice-agent (published binary, NODE_NAME=node-a) runs in the node namespace of each Sluice chain: sluice-redirect looks pods up on its socket, and every Sluice plugin sends its call record (outcome, duration) to its log socket. " +
            $"Sluice's runtime directory: {runDirectory}.\n\n" +
            "**Wall times** (median / p99) are the CRI client's: tests/tools/cri, a Go process per call as crictl is, " +
            $"whose own cost is {Report.Ms(harness.Median)} ms median per call (the CRI Version call, {harness.Runs} times; Stop+Remove is two calls). " +
            "**CNI ms and share** are containerd's own timings, read from its metrics before and after each phase: network_plugin_operations_duration_seconds (its timer around libcni's setup or teardown of the whole conflist, loopback included, " +
            "i.e. the time it spends exec'ing the plugins) summed, over grpc_server_handling_seconds of RunPodSandbox (or StopPodSandbox + RemovePodSandbox) summed; stop+remove CNI ms is per sandbox (containerd tears the network down on stop and again on removal). " +
            "**Plugins' own ms** are the Sluice plugins' call records as sluice-agent logged them (time from the plugin's log set-up to its result, so without exec and runtime start-up), summed per sandbox; the reference plugins time nothing themselves. " +
            $"Load average (1, 5, 15 min) before: {loadBefore}; after: {loadAfter}; {Environment.ProcessorCount} CPUs. Command: `bench/run.sh sandbox {count}`.";
    }

    private static string ContainerdVersion() =>
        ProcessRunner.Check("containerd", "--version").Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2) ?? "?";

    private sealed record Round(
        string Chain,
        ChainRole Role,
        int Concurrency,
        Stats Run,
        Stats Stop,
        double Makespan,
        (double Seconds, double Count) RunCni,
        (double Seconds, double Count) RunGrpc,
        (double Seconds, double Count) StopCni,
        (double Seconds, double Count) StopGrpc,
        (double AddMs, double DelMs, int Calls, string AddByPlugin)? Own,
        List<string> Failures,
        LoopbackWaits? Loopback);
}
