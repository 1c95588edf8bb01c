using System.Diagnostics;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux.Iptables;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// Applying the istio preset (both families) to a fresh pod namespace, four ways, interleaved:
/// the native nftables backend in-process (one netlink batch), the same through the published
/// sluice-iptables process, the iptables backend in-process (iptables-nft-restore, one per
/// family), and msm-iptables' way (one <c>iptables</c> exec per chain and rule, run inside the
/// namespace). Every sample gets a new namespace; creating it is not timed.
/// </summary>
internal static class CaptureBench
{
    public static void Run(int runs)
    {
        var policy = CapturePresets.Istio;
        var tool = RepoPaths.Binary("sluice-iptables");
        var commands = PerRuleCommands(policy);
        var subjects = new (string Label, Func<TestNetns, int> Apply)[]
        {
            ("native nftables, in-process (one netlink batch)", ns => InProcess(ns, CaptureBackendKind.Nftables)),
            ("sluice-iptables --backend nft (whole process)", ns => Process(tool, ns)),
            ("iptables backend, in-process (iptables-nft-restore per family)", ns => InProcess(ns, CaptureBackendKind.Iptables)),
            ("one iptables exec per rule (msm-iptables' way)", ns => PerRule(ns, commands)),
            ("*harness: /bin/true started the same way as sluice-iptables*", _ => Process("/bin/true", null)),
        };

        var samples = subjects.Select(_ => new List<double>()).ToArray();
        var executions = new int[subjects.Length];
        for (var i = 0; i < runs + 3; i++)
        {
            for (var s = 0; s < subjects.Length; s++)
            {
                using var ns = TestNetns.Create("bcap");
                var watch = Stopwatch.StartNew();
                executions[s] = subjects[s].Apply(ns);
                if (i >= 3)
                {
                    samples[s].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        var report = new Report("capture", "Capture rules: applying the istio preset (IPv4 + IPv6) to a fresh pod namespace");
        var fastest = Stats.Of(samples[0]).Median;
        for (var s = 0; s < subjects.Length; s++)
        {
            var stats = Stats.Of(samples[s]);
            report.Row(subjects[s].Label, Report.Ms(stats.Median), Report.Ms(stats.P90), executions[s].ToString(System.Globalization.CultureInfo.InvariantCulture), $"{stats.Median / fastest:F1}×");
        }

        report.Write(
            ["way", "median ms", "p90 ms", "processes executed", "vs native"],
            $"{runs} samples each, interleaved; each sample is a new namespace (creation not timed). The per-rule baseline runs " +
            $"{commands.Count} iptables-nft/ip6tables-nft commands (chains, then rules, as the dry run lists them), each forked inside the namespace. " +
            $"Command: `bench/run.sh capture {runs}`.");
    }

    private static int InProcess(TestNetns ns, CaptureBackendKind kind)
    {
        using var netns = ns.Open();
        using var engine = CaptureEngine.Open(netns, kind, kind == CaptureBackendKind.Iptables ? IptablesVariant.Nft : null, "the benchmark");
        engine.Apply(CapturePresets.Istio);
        return engine.Executions;
    }

    private static int Process(string tool, TestNetns? ns)
    {
        string[] arguments = ns is null ? [] : ["--profile", "istio", "--backend", "nft", "--netns", ns.Path];
        var result = ProcessRunner.Run(tool, new Dictionary<string, string>(), null, arguments);
        return result.ExitCode == 0 ? 1 : throw new InvalidOperationException($"{tool} failed: {result}");
    }

    private static int PerRule(TestNetns ns, List<string[]> commands)
    {
        using var netns = ns.Open();
        foreach (var command in commands)
        {
            var result = ProcessRunner.RunIn(netns, command[0], new Dictionary<string, string>(), null, command[1..]);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"{string.Join(' ', command)} failed: {result}");
            }
        }

        return commands.Count;
    }

    /// <summary>The dry run's iptables-restore text turned into one command per chain and rule.</summary>
    private static List<string[]> PerRuleCommands(CapturePolicy policy)
    {
        var commands = new List<string[]>();
        var binary = "iptables-nft";
        var table = "";
        foreach (var line in CaptureEngine.Render(policy, CaptureBackendKind.Iptables).Split('\n'))
        {
            if (line.StartsWith("# ip6tables-restore", StringComparison.Ordinal))
            {
                binary = "ip6tables-nft";
            }
            else if (line.StartsWith('*'))
            {
                table = line[1..];
            }
            else if (line.StartsWith(':'))
            {
                commands.Add([binary, "-w", "-t", table, "-N", line[1..].Split(' ')[0]]);
            }
            else if (line.StartsWith("-A ", StringComparison.Ordinal) || line.StartsWith("-I ", StringComparison.Ordinal))
            {
                commands.Add([binary, "-w", "-t", table, .. line.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
            }
        }

        return commands;
    }
}
