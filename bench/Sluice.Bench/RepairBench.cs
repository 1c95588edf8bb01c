using System.Diagnostics;
using System.Globalization;
using Sluice.Linux.Nftables;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;

namespace Sluice.Bench;

/// <summary>
/// The capture reconciler of sluice-agent on node A of the two-node test cluster (primary network,
/// sluice-redirect chained, istio profile), with 110 mesh pods (a node's default pod limit):
/// the time from a flush of a pod's capture (its table <c>inet sluice_capture</c> deleted in the pod, committed)
/// to the capture being back, with the default period; the time from the pod event of a pod that
/// started without the plugin (its MODIFIED with addresses, as kubelet sends it) to its capture
/// being in place; the agent's CPU time for one check of all 110 pods (<see cref="PassCost"/>),
/// the wall time of a pass, and the agent's resident memory. Repaired = the table exists again (the repair is one
/// atomic batch, so then all of it does), polled every 0.5 ms.
/// </summary>
internal static class RepairBench
{
    private const int Pods = 110;
    private const int MetricsPort = 9870;

    public static void Run(int runs)
    {
        using var cluster = new TwoNodeCluster();
        cluster.StartAgents([("CHAINED", "true"), ("PROFILE", "istio"), ("HEALTH_PORT", MetricsPort.ToString(CultureInfo.InvariantCulture)), ("KEEP_ON_EXIT", "true"), ("LOG_LEVEL", "info"), .. BenchAgentEnvironment.Read()]);
        var node = cluster.A;
        Thread.Sleep(3000);
        var idleKib = ProcessFigures.StatusKib(node.AgentId, "VmRSS:");
        var pods = new List<ClusterPod>();
        for (var i = 0; i < Pods; i++)
        {
            pods.Add(ClusterKubelet.Start(node, cluster.Api, SamplePods.Istio("bench", $"mesh-{i:d3}", "node-a")));
        }

        node.Wait(() => Metric(node, "sluice_capture_pods{state=\"captured\"}") == Pods, $"not all {Pods} pods were seen captured");
        var flush = FlushToRepair(pods, runs);
        var events = EventToCapture(node, cluster.Api, Math.Max(10, runs / 3));
        var (cpuMs, wallMs, passes) = PassCost(node);
        var rssKib = ProcessFigures.StatusKib(node.AgentId, "VmRSS:");
        var peakKib = ProcessFigures.StatusKib(node.AgentId, "VmHWM:");

        var report = new Report("repair", $"sluice-agent: keeping {Pods} mesh pods captured");
        report.Row("flush to repaired capture (default period 10 s)", Report.Ms(Percentile(flush, 0.5)), Report.Ms(Percentile(flush, 0.99)), Report.Ms(flush.Max()), flush.Count.ToString(CultureInfo.InvariantCulture));
        report.Row("pod event to capture (pod started without the plugin)", Report.Ms(Percentile(events, 0.5)), Report.Ms(Percentile(events, 0.99)), Report.Ms(events.Max()), events.Count.ToString(CultureInfo.InvariantCulture));
        report.Row($"agent CPU time per check of all {Pods} pods", Report.Ms(cpuMs), "", "", passes.ToString(CultureInfo.InvariantCulture));
        report.Row($"wall time of one check of all {Pods} pods", Report.Ms(wallMs), "", "", passes.ToString(CultureInfo.InvariantCulture));
        report.Row("agent resident memory, no pods yet", $"{idleKib / 1024.0:F1} MiB", "", "", "");
        report.Row($"agent resident memory, {Pods} pods watched", $"{rssKib / 1024.0:F1} MiB", "", "", "");
        report.Row($"agent peak resident memory (restarted agent, checks every 1 s)", $"{peakKib / 1024.0:F1} MiB", "", "", "");
        report.Write(
            ["what", "median ms", "p99 ms", "max ms", "samples"],
            $"Node A of the two-node test cluster, {Pods} Istio pods through libcni, CAPTURE_CHECK_PERIOD 10 (the default) for the first two rows. " +
            "Flush: the table inet sluice_capture deleted over netlink in one pod at a time, in turn, 200 ms apart; the clock starts at the commit's acknowledgement, repaired = the table is there again (polled every 0.5 ms). Pod event: a pod started through the conflist without sluice-redirect (ADDED pushed, ADD run, 100 ms later " +
            "MODIFIED with its addresses pushed); the clock starts at that push. CPU: the agent's utime+stime over 20 s with CAPTURE_CHECK_PERIOD=1 minus that over 20 s " +
            "with the default period, divided by the difference in passes (sluice_capture_checks_total / pods); wall: sluice_capture_pass_duration_seconds. Memory: VmRSS 3 s after the agents started, VmRSS and VmHWM at the end. " +
            (BenchAgentEnvironment.Text is { } env ? $"Agent environment added: {env}. " : "") +
            $"Command: `bench/run.sh repair {runs}`.");
    }

    private static List<double> FlushToRepair(List<ClusterPod> pods, int runs)
    {
        var delays = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var pod = pods[i % pods.Count];
            using var nft = Nftables.OpenIn(pod.NetNs);

            // Deleted over netlink: the clock starts when the kernel acknowledged the commit (an
            // nft process would still be exiting while the agent repairs).
            nft.Commit(nft.Batch().DeleteTable(NftFamily.Inet, "sluice_capture"), "flush the pod's capture");
            var watch = Stopwatch.StartNew();
            WaitFor(() => nft.TableExists(NftFamily.Inet, "sluice_capture"), $"{pod.Name} was not repaired");
            delays.Add(watch.Elapsed.TotalMilliseconds);
            Thread.Sleep(200);
        }

        return delays;
    }

    private static List<double> EventToCapture(ClusterNode node, FakeKubeApi api, int runs)
    {
        var without = node.ConflistWithoutRedirect();
        var delays = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var json = SamplePods.Istio("bench", $"late-{i:d3}", "node-a");
            api.PushPodEvent("ADDED", json);
            var uid = (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["metadata"]!["uid"]!;
            var pod = node.AddPod($"late-{i:d3}", "bench", uid, without);
            using var nft = Nftables.OpenIn(pod.NetNs);
            Thread.Sleep(100);
            api.PushPodEvent("MODIFIED", ClusterKubelet.Running(json, pod.V4, pod.V6));
            var watch = Stopwatch.StartNew();
            WaitFor(() => nft.TableExists(NftFamily.Inet, "sluice_capture"), $"late-{i:d3} was not captured");
            delays.Add(watch.Elapsed.TotalMilliseconds);
            node.RemovePod(pod);
            api.PushPodEvent("DELETED", json);
        }

        return delays;
    }

    /// <summary>
    /// The agent's CPU time per pass over every pod, and the wall time of a pass. NativeAOT threads
    /// carry no kernel name, so the reconciler's thread cannot be told apart: the agent's whole CPU
    /// time (utime + stime, dead threads included) is measured for 20 s at the default period and
    /// for 20 s at a 1 s period, and the difference divided by the difference in passes (counted by
    /// sluice_capture_checks_total / pods), which leaves out what the agent spends either way.
    /// </summary>
    private static (double CpuMs, double WallMs, int Passes) PassCost(ClusterNode node)
    {
        var (idleCpu, idlePasses) = CpuOver(node, TimeSpan.FromSeconds(20));
        node.KillAgent();
        node.RestartAgent(("CAPTURE_CHECK_PERIOD", "1"));
        node.Wait(() => Metric(node, "sluice_capture_pods{state=\"captured\"}") == Pods, "the restarted agent did not see every pod captured");
        Thread.Sleep(2000);
        var (busyCpu, busyPasses) = CpuOver(node, TimeSpan.FromSeconds(20));
        var passes = busyPasses - idlePasses;
        return ((busyCpu - idleCpu) / passes, Metric(node, "sluice_capture_pass_duration_seconds") * 1000, passes);
    }

    /// <summary>The agent's CPU milliseconds and the passes it made over <paramref name="span"/>.</summary>
    private static (double CpuMs, int Passes) CpuOver(ClusterNode node, TimeSpan span)
    {
        var checks = Metric(node, "sluice_capture_checks_total");
        var cpu = ProcessFigures.CpuMs(node.AgentId);
        Thread.Sleep(span);
        var passes = (int)Math.Round((Metric(node, "sluice_capture_checks_total") - checks) / Pods);
        return (ProcessFigures.CpuMs(node.AgentId) - cpu, passes);
    }



    /// <summary>A series' value from the agent's /metrics; 0 while the agent does not answer yet.</summary>
    private static double Metric(ClusterNode node, string series)
    {
        string text;
        try
        {
            text = node.Get(MetricsPort, "/metrics");
        }
        catch (System.Net.Sockets.SocketException)
        {
            return 0;
        }

        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static void WaitFor(Func<bool> condition, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new InvalidOperationException(failure);
            }

            Thread.Sleep(TimeSpan.FromMicroseconds(500));
        }
    }

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }
}
