using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// 500 ADD/DEL cycles through sluice-bridge (+ in-process sluice-ipam), 16 at a time, in one
/// node: no call fails, nothing is left, the node's kernel objects are the same after every
/// round, and a plugin process needs no more memory at the end than at the start.
/// </summary>
public sealed class ChurnTests
{
    private const int Cycles = 500;
    private const int Parallelism = 16;
    private const int Rounds = 5;
    private const int Window = 50;

    /// <summary>Generous on purpose: a plugin process is short-lived, its RSS moves by a few hundred KiB between runs; a leak or a store scan that grows with churn would show as more.</summary>
    private const double RssFactor = 1.5;

    [RootFact]
    public void FiveHundredParallelAddDelCycles_LeaveNoErrorsNoLeaksAndFlatMemory()
    {
        using var lab = new NodeLab("10.56.0.0/22", "fd56::/64");
        var pods = Enumerable.Range(0, Parallelism).Select(i => lab.NewPod($"churn{i}")).ToArray();
        var config = lab.BridgeConfig();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Cycle(lab, config, pods[0], "warm", Path.Combine(lab.Directory, "rss-warm"));
        var before = lab.Snapshot();
        var countsBefore = NetnsSnapshot.Counts(before);

        var samples = new ConcurrentDictionary<int, (long AddRssKiB, double AddMs)>();
        var errors = new ConcurrentQueue<string>();
        var roundCounts = new List<string>();
        var crashes = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var queue = new ConcurrentQueue<int>(Enumerable.Range(round * Cycles / Rounds, Cycles / Rounds));
            var workers = Enumerable.Range(0, Parallelism).Select(w => new Thread(() =>
            {
                var rssFile = Path.Combine(lab.Directory, $"rss-{w}");
                while (queue.TryDequeue(out var n))
                {
                    try
                    {
                        samples[n] = Cycle(lab, config, pods[w], $"churn-{n}", rssFile);
                    }
                    catch (CycleFailedException error)
                    {
                        errors.Enqueue($"cycle {n}: {error.Message}");
                        Interlocked.Add(ref crashes, error.Crashed ? 1 : 0);
                    }
                }
            })).ToList();
            workers.ForEach(t => t.Start());
            workers.ForEach(t => t.Join());
            roundCounts.Add(NetnsSnapshot.Counts(lab.Snapshot()));
        }

        var leftovers = lab.StoreLeftovers().Concat(lab.VethLinks()).ToList();
        var after = lab.Snapshot();
        var first = samples.Where(s => s.Key < Window).Select(s => s.Value).ToList();
        var last = samples.Where(s => s.Key >= Cycles - Window).Select(s => s.Value).ToList();
        var firstRss = Median(first.Select(s => (double)s.AddRssKiB));
        var lastRss = Median(last.Select(s => (double)s.AddRssKiB));
        var changedRounds = roundCounts.Count(c => c != countsBefore);
        var details = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"objects before: {countsBefore}\n")
            .AppendJoin('\n', roundCounts.Select((c, i) => $"after round {i + 1}: {c}")).Append('\n')
            .AppendJoin('\n', errors).Append('\n')
            .AppendJoin('\n', leftovers.Select(l => "left: " + l));
        Figures.Report("churn", [
            ("cycles", samples.Count), ("parallel", Parallelism), ("errors", errors.Count), ("leaks", leftovers.Count + (after == before ? 0 : 1)),
            ("crashes", crashes),
            ("rounds_with_changed_objects", changedRounds),
            ("add_rss_kib_first50_median", firstRss), ("add_rss_kib_last50_median", lastRss),
            ("add_ms_first50_median", Median(first.Select(s => s.AddMs))), ("add_ms_last50_median", Median(last.Select(s => s.AddMs))),
            ("duration", watch.Elapsed)], details.ToString());

        Assert.True(errors.IsEmpty, string.Join('\n', errors));
        Assert.Equal(Cycles, samples.Count);
        Assert.Empty(leftovers);
        Assert.True(after == before, FaultInjectionTests.Diff(before, after));
        Assert.All(roundCounts, c => Assert.Equal(countsBefore, c));
        Assert.True(lastRss <= firstRss * RssFactor, $"peak RSS of ADD grew from {firstRss} KiB (first {Window}) to {lastRss} KiB (last {Window})");
    }

    /// <summary>One ADD (its peak RSS measured by /usr/bin/time) and the DEL libcni would send after it.</summary>
    private static (long AddRssKiB, double AddMs) Cycle(NodeLab lab, string config, TestNetns pod, string id, string rssFile)
    {
        var add = PluginRun.Run(
            lab.NodeNs,
            "/usr/bin/time",
            NodeLab.Env("ADD", id, pod.Path),
            Encoding.UTF8.GetBytes(config),
            ["-f", "%M", "-o", rssFile, RepoPaths.Binary("sluice-bridge")],
            workingDirectory: lab.Directory);
        if (add.ExitCode != 0)
        {
            throw new CycleFailedException($"ADD {id}: {add}", add.ExitCode >= PluginRun.SignalBase);
        }

        var rss = long.Parse(File.ReadAllText(rssFile).Trim().Split('\n')[^1], CultureInfo.InvariantCulture);
        var del = lab.Run("sluice-bridge", NodeLab.Env("DEL", id, pod.Path), NodeLab.WithPrevResult(config, add.Stdout));
        return del.ExitCode == 0 ? (rss, add.Elapsed.TotalMilliseconds) : throw new CycleFailedException($"DEL {id}: {del}", del.ExitCode >= PluginRun.SignalBase);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private sealed class CycleFailedException(string message, bool crashed) : Exception(message)
    {
        public bool Crashed { get; } = crashed;
    }
}
