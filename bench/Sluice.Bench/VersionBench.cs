using System.Diagnostics;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// VERSION round trip as a whole process, exec'd the way a runtime does (env + stdin, stdout
/// read), for the published sluice binary and Debian's reference bridge plugin, interleaved.
/// </summary>
internal static class VersionBench
{
    public static void Run(int runs)
    {
        var subjects = new (string Name, string Path)[]
        {
            ("sluice-ipam (NativeAOT)", RepoPaths.Binary("sluice-ipam")),
            ("/usr/lib/cni/bridge (Go, Debian)", "/usr/lib/cni/bridge"),
            ("/usr/lib/cni/host-local (Go, Debian)", "/usr/lib/cni/host-local"),
        };
        var samples = subjects.Select(_ => new List<double>()).ToArray();
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" };
        const string stdin = """{"cniVersion":"1.0.0"}""";
        for (var i = 0; i < runs + 10; i++)
        {
            for (var s = 0; s < subjects.Length; s++)
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

        var report = new Report("version", "VERSION round trip (whole process)");
        for (var s = 0; s < subjects.Length; s++)
        {
            var stats = Stats.Of(samples[s]);
            report.Row(subjects[s].Name, Report.Ms(stats.Median), Report.Ms(stats.P10), Report.Ms(stats.P90), stats.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        report.Write(
            ["binary", "median ms", "p10 ms", "p90 ms", "runs"],
            $"Each run: fork+exec with CNI_COMMAND=VERSION and a config on stdin, stdout read to the end; subjects interleaved, first 10 rounds discarded. Command: `make bench` (or `bench/run.sh version`).");
    }
}
