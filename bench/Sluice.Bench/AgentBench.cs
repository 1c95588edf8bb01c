using System.Diagnostics;
using System.Globalization;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// sluice-agent against host-like directories: how long after another component rewrites the
/// CNI configuration without our entry the entry is back (the file is rewritten atomically, as
/// installers do, and polled every 0.2 ms), and the agent's resident memory when idle.
/// </summary>
internal static class AgentBench
{
    public static void Run(int rewrites)
    {
        using var dir = new TempDirectory("bench-agent");
        var conf = Directory.CreateDirectory(dir.Combine("net.d")).FullName;
        var source = Directory.CreateDirectory(dir.Combine("src")).FullName;
        File.Copy(RepoPaths.Binary("sluice-redirect"), Path.Combine(source, "sluice-redirect"));
        var token = dir.Combine("token");
        File.WriteAllText(token, "bench-token\n");
        var kubeconfig = dir.Combine("kubeconfig");
        File.WriteAllText(kubeconfig, $"apiVersion: v1\nclusters:\n- cluster:\n    insecure-skip-tls-verify: true\n    server: https://127.0.0.1:6443\n  name: c\ncontexts:\n- context:\n    cluster: c\n    user: u\n  name: c\ncurrent-context: c\nusers:\n- name: u\n  user:\n    tokenFile: {token}\n");
        var primary = Path.Combine(conf, "10-bridge.conflist");
        const string Bare = """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0"}]}""";
        File.WriteAllText(primary, Bare);

        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { UseShellExecute = false, RedirectStandardError = true };
        start.Environment["CNI_BIN_DIR"] = dir.Combine("bin");
        start.Environment["CNI_CONF_DIR"] = conf;
        start.Environment["SOURCE_DIR"] = source;
        start.Environment["RUN_DIR"] = dir.Combine("run");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HEALTH_PORT"] = "0";
        using var agent = Process.Start(start)!;
        var log = agent.StandardError.ReadToEndAsync();
        try
        {
            WaitFor(primary, TimeSpan.FromSeconds(10));
            var delays = new List<double>();
            for (var i = 0; i < rewrites + 3; i++)
            {
                Thread.Sleep(50);
                var temp = primary + ".tmp";
                File.WriteAllText(temp, Bare);
                var watch = Stopwatch.StartNew();
                File.Move(temp, primary, overwrite: true);
                WaitFor(primary, TimeSpan.FromSeconds(10));
                if (i >= 3)
                {
                    delays.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            Thread.Sleep(TimeSpan.FromSeconds(3));
            var rss = File.ReadLines($"/proc/{agent.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            var rssKib = long.Parse(rss.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

            var stats = Stats.Of(delays);
            var report = new Report("agent", "sluice-agent: re-inserting its entry after a rewrite, and idle memory");
            report.Row("re-insert delay after an atomic rewrite", Report.Ms(stats.Median), Report.Ms(stats.P90), Report.Ms(delays.Max()), rewrites.ToString(CultureInfo.InvariantCulture));
            report.Row("resident memory when idle", $"{rssKib / 1024.0:F1} MiB", "", "", "");
            report.Write(
                ["what", "median", "p90", "max", "rewrites"],
                $"{rewrites} rewrites 50 ms apart (temporary file renamed over the configuration, as installers write), after 3 discarded; the delay runs from the rename to " +
                "the moment the file read back has sluice-redirect again (polled every 0.2 ms). Memory: VmRSS 3 s after the last rewrite. " +
                $"Command: `bench/run.sh agent {rewrites}`.");
        }
        finally
        {
            agent.Kill();
            agent.WaitForExit();
            _ = log.Result;
        }
    }

    private static void WaitFor(string primary, TimeSpan patience)
    {
        var watch = Stopwatch.StartNew();
        while (!(File.Exists(primary) && File.ReadAllText(primary).Contains("sluice-redirect", StringComparison.Ordinal)))
        {
            if (watch.Elapsed > patience)
            {
                throw new InvalidOperationException($"sluice-agent did not put its entry into {primary} within {patience}");
            }

            Thread.SpinWait(2000);
        }
    }
}
