using System.Diagnostics;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// VERSION round trip as a whole process, exec'd the way a runtime does (env + stdin, stdout
/// read), for the published sluice binary and Debian's reference plugins, interleaved: first on
/// this machine as it is, then with 250 more mounts in the mount namespace, as a node with pods
/// has (each pod's network namespace is a bind mount; its shm, root filesystem and volumes are
/// more). A start that reads the mount table grows with them. <c>BENCH_COMPARE=path</c>
/// interleaves an earlier sluice-ipam as a fourth subject.
/// </summary>
internal static class VersionBench
{
    private const int BusyNodeMounts = 250;

    public static void Run(int runs)
    {
        var subjects = new List<(string Name, string Path)>
        {
            ("sluice-ipam (NativeAOT)", RepoPaths.Binary("sluice-ipam")),
            ("/usr/lib/cni/bridge (Go, Debian)", "/usr/lib/cni/bridge"),
            ("/usr/lib/cni/host-local (Go, Debian)", "/usr/lib/cni/host-local"),
        };
        if (Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } other)
        {
            subjects.Add(($"sluice-ipam [{other}]", other));
        }

        var mountsAsIs = MountCount();
        var asIs = Measure(subjects, runs);
        var pods = Enumerable.Range(0, BusyNodeMounts).Select(_ => TestNetns.Create("bv")).ToList();
        int mountsBusy;
        Stats[] busy;
        try
        {
            mountsBusy = MountCount();
            busy = Measure(subjects, runs);
        }
        finally
        {
            pods.ForEach(pod => pod.Dispose());
        }

        var report = new Report("version", "VERSION round trip (whole process)");
        for (var s = 0; s < subjects.Count; s++)
        {
            report.Row(
                subjects[s].Name,
                Report.Ms(asIs[s].Median),
                Report.Ms(asIs[s].P10),
                Report.Ms(asIs[s].P90),
                Report.Ms(busy[s].Median),
                Report.Ms(busy[s].P90),
                asIs[s].Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        report.Write(
            ["binary", $"median ms ({mountsAsIs} mounts)", "p10 ms", "p90 ms", $"median ms ({mountsBusy} mounts)", "p90 ms", "runs each"],
            $"Each run: fork+exec with CNI_COMMAND=VERSION and a config on stdin, stdout read to the end; subjects interleaved, first 10 rounds discarded. " +
            $"Then the same with {BusyNodeMounts} network namespaces bind-mounted, as a node's pods are (mounts: lines of /proc/self/mountinfo). " +
            $"Command: `make bench` (or `bench/run.sh version`).");
    }

    private static Stats[] Measure(List<(string Name, string Path)> subjects, int runs)
    {
        var samples = subjects.Select(_ => new List<double>()).ToArray();
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" };
        const string stdin = """{"cniVersion":"1.0.0"}""";
        for (var i = 0; i < runs + 10; i++)
        {
            for (var s = 0; s < subjects.Count; s++)
            {
                var watch = Stopwatch.StartNew();
                var result = ProcessRunner.Run(subjects[s].Path, env, stdin);
                var elapsed = watch.Elapsed.TotalMilliseconds;
                if (result.ExitCode != 0 || !result.Stdout.Contains("supportedVersions", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"{subjects[s].Name} VERSION failed: {result}");
                }

                if (i >= 10)
                {
                    samples[s].Add(elapsed);
                }
            }
        }

        return samples.Select(Stats.Of).ToArray();
    }

    private static int MountCount() => File.ReadAllLines("/proc/self/mountinfo").Length;
}
