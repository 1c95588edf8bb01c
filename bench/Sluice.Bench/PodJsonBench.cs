using System.Diagnostics;
using System.Globalization;
using System.Text;
using Sluice.Kube.Models;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// Reading and writing one pod in process (<see cref="PodJson"/>): the Istio sample pod as an API
/// server serves it, which sluice-redirect reads once per ADD (from the agent's answer or from
/// sluice-kube's output) and the agent writes once per lookup. Each sample times a batch of
/// calls; the first rounds are discarded so the code is warm.
/// </summary>
internal static class PodJsonBench
{
    private const int Batch = 1000;
    private const int Warmup = 20;

    public static void Run(int runs)
    {
        var json = Encoding.UTF8.GetBytes(SamplePods.Istio("bookinfo", "reviews"));
        var pod = PodJson.Read(json);
        var read = Measure(runs, () => PodJson.Read(json));
        var write = Measure(runs, () => PodJson.Write(pod));

        var report = new Report("podjson", "PodJson: one pod read and written in process");
        report.Row("read (SamplePods.Istio, " + json.Length.ToString(CultureInfo.InvariantCulture) + " B)", Us(read.Median), Us(read.P10), Us(read.P90), read.Runs.ToString(CultureInfo.InvariantCulture));
        report.Row("write (the same pod)", Us(write.Median), Us(write.P10), Us(write.P90), write.Runs.ToString(CultureInfo.InvariantCulture));
        report.Write(
            ["call", "median µs", "p10 µs", "p90 µs", "samples"],
            $"Each sample is {Batch} calls on the JIT runtime, {Warmup} samples discarded first. Command: `bench/run.sh podjson {runs}`.");
    }

    private static Stats Measure(int runs, Func<object> call)
    {
        var samples = new List<double>(runs);
        for (var i = 0; i < runs + Warmup; i++)
        {
            var watch = Stopwatch.StartNew();
            for (var j = 0; j < Batch; j++)
            {
                GC.KeepAlive(call());
            }

            if (i >= Warmup)
            {
                samples.Add(watch.Elapsed.TotalMilliseconds * 1000 / Batch);
            }
        }

        return Stats.Of(samples);
    }

    private static string Us(double value) => value.ToString("F2", CultureInfo.InvariantCulture);
}
