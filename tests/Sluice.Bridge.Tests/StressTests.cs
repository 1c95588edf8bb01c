using System.Diagnostics;

namespace Sluice.Bridge.Tests;

/// <summary>Many pods at once, and ADDs killed at random points: the node ends as it started.</summary>
public sealed class StressTests : IDisposable
{
    private readonly Testbed _bed = new("10.48.0.0/22", "fd48::/64");

    public void Dispose() => _bed.Dispose();

    [RootFact]
    public void SixtyFourConcurrentAdds_GetDistinctAddresses_AndConcurrentDelsLeaveTheNodeAsBefore()
    {
        _bed.Add(_bed.NewPod("warm"), "warm");
        _bed.Del("warm", "");
        var linksBefore = _bed.NodeLinks();
        var firewallBefore = _bed.Firewall();
        var pods = Enumerable.Range(0, 64).Select(i => _bed.NewPod($"c{i}")).ToArray();

        var addresses = new string[64];
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 64 }, i =>
            addresses[i] = (string)_bed.Add(pods[i], $"ctr-{i}")["ips"]![0]!["address"]!);
        Assert.Equal(64, addresses.Distinct().Count());
        Assert.Equal(128, _bed.Allocations().Count);
        Assert.Equal(0, pods[0].TryExec("ping", "-c", "1", "-W", "2", addresses[63].Split('/')[0]).ExitCode);

        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 64 }, i => _bed.Del($"ctr-{i}", pods[i].Path));
        Assert.Empty(_bed.Allocations());
        Assert.Equal(linksBefore, _bed.NodeLinks());
        Assert.Equal(Normalize(firewallBefore), Normalize(_bed.Firewall()));
    }

    /// <summary>
    /// Each ADD is killed after a delay drawn below the shortest of three whole ADDs measured first
    /// (the plugin got faster than any fixed range: most kills would land after it finished).
    /// </summary>
    [RootFact]
    public void AddsKilledAtRandomPoints_LeaveNothingAfterDelAndGc()
    {
        _bed.Add(_bed.NewPod("warm"), "warm");
        _bed.Del("warm", "");
        var linksBefore = _bed.NodeLinks();
        var whole = TimeSpan.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var pod = _bed.NewPod($"m{i}");
            var (finished, elapsed) = RunAdd($"measure-{i}", pod.Path, killAfter: null);
            Assert.True(finished, "an ADD left alone did not finish");
            whole = elapsed < whole ? elapsed : whole;
            _bed.Del($"measure-{i}", pod.Path);
        }

        var random = new Random(7);
        var killed = 0;
        for (var i = 0; i < 50; i++)
        {
            var pod = _bed.NewPod($"k{i}");
            var (finished, _) = RunAdd($"victim-{i}", pod.Path, TimeSpan.FromTicks((long)(random.NextDouble() * 0.9 * whole.Ticks)));
            killed += finished ? 0 : 1;
            _bed.Del($"victim-{i}", pod.Path);
        }

        var gc = _bed.Run("GC", "", "", _bed.Config(",\"cni.dev/valid-attachments\":[]"));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.True(killed >= 25, $"only {killed} of 50 ADDs were killed mid-way (an ADD takes {whole.TotalMilliseconds:0.0} ms); the test would prove little");
        Assert.Empty(_bed.Allocations());
        Assert.Equal(linksBefore, _bed.NodeLinks());
        Assert.DoesNotContain("victim", _bed.Firewall(), StringComparison.Ordinal);
    }

    /// <summary>One ADD as the runtime execs it, from the node's namespace, killed after <paramref name="killAfter"/> (its input given) unless it finished first; whether it finished, and how long it ran when it did.</summary>
    private (bool Finished, TimeSpan Elapsed) RunAdd(string containerId, string netns, TimeSpan? killAfter)
    {
        var env = new CniInvocation("ADD", containerId, netns, "eth0", "", RepoPaths.BinDirectory).Environment();
        return _bed.NodeNs.Run(() =>
        {
            var start = new ProcessStartInfo(Testbed.Binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment.Clear();
            foreach (var (key, value) in env)
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start)!;
            process.StandardInput.Write(_bed.Config());
            process.StandardInput.Close();
            var clock = Stopwatch.StartNew();
            if (killAfter is { } delay)
            {
                Thread.Sleep(delay);
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit();
                    return (false, clock.Elapsed);
                }
            }

            process.WaitForExit();
            return (true, clock.Elapsed);
        });
    }

    /// <summary>The firewall without comments, counter values and chain counters (which change with traffic).</summary>
    private static string Normalize(string firewall) =>
        string.Join('\n', firewall.Split('\n')
            .Where(l => !l.StartsWith('#'))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"counter packets \d+ bytes \d+|\[\d+:\d+\]", "counter")));
}
