using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// sluice-bridge + sluice-ipam (in-process) against Debian's bridge + host-local, the same network
/// (gateway, default route, hairpin mode), each in its own node namespace, interleaved, first
/// without masquerade (flannel's shape: bench/results/bridge-nomasq.md), then with it
/// (bench/results/bridge.md): ADD and DEL medians over N pods, each in a fresh pod namespace;
/// makespan of 64 concurrent ADDs, of 64 ADDs and 64 DELs started together (and of the ADDs among
/// them), ADD at 1 vs 250 existing pods, peak RSS.
/// <c>BENCH_ONLY=sequential</c> runs the ADD/DEL medians alone.
/// </summary>
internal static class BridgeBench
{
    public static void Run(int pods)
    {
        Run(pods, ipMasq: false, "bridge-nomasq");
        Run(pods, ipMasq: true, "bridge");
    }

    private static void Run(int pods, bool ipMasq, string name)
    {
        using var runDirectory = NodeRunDirectory.ForRun();
        var loadBefore = Report.LoadAverage();
        using var sluice = new PluginNode("sluice-bridge + sluice-ipam", RepoPaths.Binary("sluice-bridge"), PluginNode.SluiceConfig("10.60.0.0/16", ipMasq));
        using var reference = new PluginNode("bridge + host-local (Debian)", "/usr/lib/cni/bridge", PluginNode.ReferenceConfig("10.61.0.0/16", ipMasq));

        // BENCH_COMPARE=path: another sluice-bridge (an earlier build), interleaved with the others.
        using var compare = Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } other
            ? new PluginNode($"sluice-bridge + sluice-ipam [{other}]", other, PluginNode.SluiceConfig("10.62.0.0/16", ipMasq))
            : null;
        PluginNode[] subjects = compare is null ? [sluice, reference] : [sluice, reference, compare];
        var masquerade = ipMasq ? "with masquerade (ipMasq: true)" : "without masquerade (ipMasq: false, flannel's shape)";
        var report = new Report(name, $"Primary plugin {masquerade}: sluice-bridge + sluice-ipam vs bridge + host-local");

        var sequentialOnly = Environment.GetEnvironmentVariable("BENCH_ONLY") == "sequential";
        var baseline = Baseline(sluice);
        var (add, del) = Sequential(subjects, pods);
        var makespan = sequentialOnly ? subjects.Select(_ => double.NaN).ToArray() : subjects.Select(s => Concurrent(s, 64)).ToArray();
        var mixed = sequentialOnly ? subjects.Select(_ => (All: double.NaN, Adds: double.NaN)).ToArray() : subjects.Select(s => AddsWithDels(s, 64)).ToArray();
        var scaling = sequentialOnly ? subjects.Select(_ => (One: double.NaN, Many: double.NaN)).ToArray() : subjects.Select(s => AddAtScale(s)).ToArray();
        var rss = sequentialOnly ? subjects.Select(_ => (Add: 0L, Del: 0L)).ToArray() : subjects.Select(s => Rss(s)).ToArray();
        var loadAfter = Report.LoadAverage();

        for (var i = 0; i < subjects.Length; i++)
        {
            report.Row(
                subjects[i].Label,
                Report.Ms(add[i].Median),
                Report.Ms(del[i].Median),
                Report.Ms(makespan[i]),
                Report.Ms(mixed[i].All),
                Report.Ms(mixed[i].Adds),
                Report.Ms(scaling[i].One),
                Report.Ms(scaling[i].Many),
                $"{rss[i].Add / 1024.0:F1} / {rss[i].Del / 1024.0:F1}");
        }

        report.Row(
            "**ratio sluice / reference**",
            $"{add[0].Median / add[1].Median:F2}",
            $"{del[0].Median / del[1].Median:F2}",
            $"{makespan[0] / makespan[1]:F2}",
            $"{mixed[0].All / mixed[1].All:F2}",
            $"{mixed[0].Adds / mixed[1].Adds:F2}",
            "",
            $"sluice 250/1: {scaling[0].Many / scaling[0].One:F2}",
            "");
        if (compare is not null)
        {
            report.Row(
                "**ratio sluice / compared build**",
                $"{add[0].Median / add[2].Median:F2}",
                $"{del[0].Median / del[2].Median:F2}",
                $"{makespan[0] / makespan[2]:F2}",
                $"{mixed[0].All / mixed[2].All:F2}",
                $"{mixed[0].Adds / mixed[2].Adds:F2}",
                "",
                "",
                "");
        }

        report.Row("*harness: fork+exec of /bin/true the same way*", Report.Ms(baseline), "", "", "", "", "", "", "");
        report.Write(
            ["plugins", "ADD median ms", "DEL median ms", "64 concurrent ADDs makespan ms", "64 ADDs + 64 DELs at once, makespan ms", "of which the 64 ADDs ms", "ADD ms at 1 pod", "ADD ms at 250 pods", "peak RSS MiB (ADD / DEL)"],
            $"ADD/DEL: {pods} pods per subject, interleaved, each pod in a fresh namespace, each call a separate process forked inside the node namespace (as a runtime execs it); " +
            "DEL runs while the pod namespace still exists, as a runtime's StopPodSandbox does (the namespaces are removed afterwards, untimed). " +
            "Makespan: 64 ADDs started together on fresh pods. " +
            "ADDs + DELs: 64 pods added first (untimed), then 64 ADDs on fresh pods and the DELs of the first 64 started together, interleaved; " +
            "makespan until all 128 finished, and until the last ADD finished. Scaling: median of 20 ADDs with 1, then with 250, pods already on the node. " +
            $"RSS: GNU time's maximum resident set of one ADD and one DEL. 1-minute load average {loadBefore} at the start, {loadAfter} at the end " +
            $"({Environment.ProcessorCount} CPUs, shared machine). Sluice's runtime directory: {runDirectory.Condition}. Command: `bench/run.sh bridge {pods}`{(sequentialOnly ? " with BENCH_ONLY=sequential (makespan, scaling and RSS not run: NaN/0)" : "")}.");
    }

    /// <summary>What the harness itself costs per call: /bin/true forked inside the node namespace the same way.</summary>
    private static double Baseline(PluginNode node)
    {
        var env = new Dictionary<string, string>();
        var samples = Enumerable.Range(0, 50).Select(_ =>
        {
            var watch = Stopwatch.StartNew();
            ProcessRunner.RunIn(node.NodeNs, "/bin/true", env, "");
            return watch.Elapsed.TotalMilliseconds;
        }).ToList();
        return Stats.Of(samples).Median;
    }

    private static (Stats[] Add, Stats[] Del) Sequential(PluginNode[] subjects, int pods)
    {
        var add = subjects.Select(_ => new List<double>()).ToArray();
        var del = subjects.Select(_ => new List<double>()).ToArray();
        var namespaces = subjects.Select(_ => Enumerable.Range(0, pods).Select(i => TestNetns.Create("bp")).ToArray()).ToArray();
        try
        {
            for (var i = 0; i < pods; i++)
            {
                for (var s = 0; s < subjects.Length; s++)
                {
                    add[s].Add(subjects[s].Run("ADD", $"seq-{i}", namespaces[s][i].Path));
                }
            }

            for (var i = 0; i < pods; i++)
            {
                for (var s = 0; s < subjects.Length; s++)
                {
                    del[s].Add(subjects[s].Run("DEL", $"seq-{i}", namespaces[s][i].Path));
                }
            }
        }
        finally
        {
            DisposeAll(namespaces.SelectMany(n => n));
        }

        return (add.Select(Stats.Of).ToArray(), del.Select(Stats.Of).ToArray());
    }

    private static double Concurrent(PluginNode subject, int count)
    {
        var namespaces = Enumerable.Range(0, count).Select(_ => TestNetns.Create("bc")).ToArray();
        try
        {
            var makespan = Together(Enumerable.Range(0, count).Select(i => Call(subject, "ADD", $"par-{i}", namespaces[i])).ToList()).Max();
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => subject.Run("DEL", $"par-{i}", namespaces[i].Path));
            return makespan;
        }
        finally
        {
            DisposeAll(namespaces);
        }
    }

    /// <summary>
    /// <paramref name="count"/> pods added first (untimed), then <paramref name="count"/> ADDs on fresh pods and the DELs
    /// of the first pods, interleaved and started together: makespan of all of them, and of the ADDs alone.
    /// </summary>
    private static (double All, double Adds) AddsWithDels(PluginNode subject, int count)
    {
        var existing = Enumerable.Range(0, count).Select(_ => TestNetns.Create("bx")).ToArray();
        var fresh = Enumerable.Range(0, count).Select(_ => TestNetns.Create("bm")).ToArray();
        try
        {
            var eight = new ParallelOptions { MaxDegreeOfParallelism = 8 };
            Parallel.For(0, count, eight, i => subject.Run("ADD", $"old-{i}", existing[i].Path));
            var calls = Enumerable.Range(0, 2 * count)
                .Select(j => j % 2 == 0 ? Call(subject, "ADD", $"mix-{j / 2}", fresh[j / 2]) : Call(subject, "DEL", $"old-{j / 2}", existing[j / 2]))
                .ToList();
            var finished = Together(calls);
            Parallel.For(0, count, eight, i => subject.Run("DEL", $"mix-{i}", fresh[i].Path));
            return (finished.Max(), finished.Where((_, j) => j % 2 == 0).Max());
        }
        finally
        {
            DisposeAll(existing);
            DisposeAll(fresh);
        }
    }

    private static Action Call(PluginNode subject, string command, string containerId, TestNetns pod) =>
        () => subject.Run(command, containerId, pod.Path);

    /// <summary>
    /// Runs the calls on dedicated threads released together (the thread pool would ramp up slowly and pace the test);
    /// returns when each finished, in ms after the release. Failures are thrown together once all calls are done.
    /// </summary>
    private static double[] Together(List<Action> calls)
    {
        var finished = new double[calls.Count];
        var errors = new ConcurrentQueue<Exception>();
        var released = 0L;
        using var start = new Barrier(calls.Count, _ => released = Stopwatch.GetTimestamp());
        var threads = calls.Select((call, i) => new Thread(() =>
        {
            start.SignalAndWait();
            try
            {
                call();
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                errors.Enqueue(e);
            }

            finished[i] = Stopwatch.GetElapsedTime(Volatile.Read(ref released)).TotalMilliseconds;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return errors.IsEmpty ? finished : throw new AggregateException($"{errors.Count} of {calls.Count} calls failed", errors);
    }

    private static void DisposeAll(IEnumerable<TestNetns> namespaces)
    {
        foreach (var ns in namespaces)
        {
            ns.Dispose();
        }
    }

    private static (double One, double Many) AddAtScale(PluginNode subject)
    {
        var existing = new List<TestNetns>();
        try
        {
            double Measure(string round)
            {
                var samples = new List<double>();
                for (var i = 0; i < 20; i++)
                {
                    using var pod = TestNetns.Create("bs");
                    samples.Add(subject.Run("ADD", $"{round}-{i}", pod.Path));
                    subject.Run("DEL", $"{round}-{i}", pod.Path);
                }

                return Stats.Of(samples).Median;
            }

            existing.Add(TestNetns.Create("be"));
            subject.Run("ADD", "existing-0", existing[0].Path);
            var one = Measure("one");
            for (var i = 1; i < 250; i++)
            {
                existing.Add(TestNetns.Create("be"));
                subject.Run("ADD", $"existing-{i}", existing[i].Path);
            }

            var many = Measure("many");
            for (var i = 0; i < existing.Count; i++)
            {
                subject.Run("DEL", $"existing-{i}", existing[i].Path);
            }

            return (one, many);
        }
        finally
        {
            DisposeAll(existing);
        }
    }

    private static (long Add, long Del) Rss(PluginNode subject)
    {
        using var pod = TestNetns.Create("br");
        var add = subject.PeakRssKib("ADD", "rss", pod.Path);
        var del = subject.PeakRssKib("DEL", "rss", pod.Path);
        return (add, del);
    }
}
