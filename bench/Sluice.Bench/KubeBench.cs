using System.Diagnostics;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// <c>sluice-kube get-pod</c> as sluice-redirect runs it when the agent cannot answer: a whole
/// process that reads the kubeconfig, opens TLS to the fake API server on loopback and reads one
/// pod, next to <c>sluice-kube --help</c> (start-up alone). <c>BENCH_COMPARE=path</c> interleaves
/// the same with another binary (a copy named sluice-kube, for an A/B of a change).
/// </summary>
internal static class KubeBench
{
    public static void Run(int runs)
    {
        using var dir = new TempDirectory("bench-kube");
        var api = FakeKubeApi.StartAsync().GetAwaiter().GetResult();
        try
        {
            api.SetPod("bookinfo", "reviews", SamplePods.Istio("bookinfo", "reviews"));
            Run(runs, api.WriteKubeconfig(dir.Combine("kubeconfig")));
        }
        finally
        {
            api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Run(int runs, string kubeconfig)
    {
        var binaries = new List<(string Label, string Path)> { ("", RepoPaths.Binary("sluice-kube")) };
        if (Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } other)
        {
            binaries.Add(($" [{other}]", other));
        }

        string[] lookup = ["get-pod", "--kubeconfig", kubeconfig, "--namespace", "bookinfo", "--pod", "reviews"];
        var subjects = binaries.SelectMany(binary => new (string Label, string Path, string[] Arguments)[]
        {
            ($"sluice-kube get-pod (kubeconfig, TLS, one GET){binary.Label}", binary.Path, lookup),
            ($"sluice-kube --help (start-up){binary.Label}", binary.Path, ["--help"]),
        }).ToArray();
        var samples = subjects.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < runs + 5; i++)
        {
            for (var s = 0; s < subjects.Length; s++)
            {
                var watch = Stopwatch.StartNew();
                var result = ProcessRunner.Run(subjects[s].Path, new Dictionary<string, string>(), null, subjects[s].Arguments);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                if (result.ExitCode != 0)
                {
                    throw new InvalidOperationException($"{subjects[s].Label} failed: {result}");
                }

                if (i >= 5)
                {
                    samples[s].Add(elapsed);
                }
            }
        }

        var report = new Report("kube", "sluice-kube get-pod: the lookup sluice-redirect hands off when the agent cannot answer");
        for (var s = 0; s < subjects.Length; s++)
        {
            var stats = Stats.Of(samples[s]);
            report.Row(subjects[s].Label, Report.Ms(stats.Median), Report.Ms(stats.P90), stats.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        report.Write(
            ["command", "median ms", "p90 ms", "runs"],
            "Whole processes, subjects interleaved, first 5 rounds discarded. The kubeconfig is YAML as kubectl writes it (CA data, inline token); " +
            $"the fake API server (Kestrel, HTTPS) runs in the benchmark process on 127.0.0.1. Command: `bench/run.sh kube {runs}`.");
    }
}
