namespace Sluice.Bridge.Tests;

/// <summary>Many pods at once, and ADDs killed at every point: the node ends as it started.</summary>
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
    /// An ADD killed wherever it could leave the node half configured leaves nothing once the
    /// runtime's DEL and a GC have run. The points come from a traced ADD from the same start (the
    /// bridge and the network's rules already there, as on a node with pods): before each netlink
    /// request, each call that changes a file, and the exit (CrashPoints). Each is hit in its own
    /// run, in a fresh pod namespace.
    /// </summary>
    [RootFact]
    public void AddKilledBeforeAnyRequestOrFileChange_LeavesNothingAfterDelAndGc()
    {
        // The first ADD installs the network's rules, the second records that they are current
        // (docs/bridge.md, "Firewall"); from then on every ADD takes the same path.
        for (var i = 0; i < 2; i++)
        {
            _bed.Add(_bed.NewPod($"warm{i}"), $"warm{i}");
            _bed.Del($"warm{i}", "");
        }

        var linksBefore = _bed.NodeLinks();
        var syscalls = CrashPoints.WithNetlinkSends(CrashPoints.FileChanges);
        var trace = Path.Combine(_bed.TempPath, "add.trace");
        var traced = RunAdd("traced", _bed.NewPod("traced").Path, CrashPoints.TracingArguments(Testbed.Binary, syscalls, trace));
        Assert.True(traced.ExitCode == 0, traced.ToString());
        _bed.Del("traced", "");
        var points = CrashPoints.FromTrace(trace);
        Assert.Contains(points, point => point.Syscall is "sendto" or "sendmsg");

        var leftSomething = 0;
        foreach (var (point, i) in points.Select((point, i) => (point, i)))
        {
            var pod = _bed.NewPod($"k{i}");
            var add = RunAdd($"victim-{i}", pod.Path, CrashPoints.KillingArguments(Testbed.Binary, point));
            Assert.True(CrashPoints.Killed(add), $"{point}: {add}");
            leftSomething += _bed.Allocations().Count > 0 || !_bed.NodeLinks().SequenceEqual(linksBefore) ? 1 : 0;
            var del = _bed.Run("DEL", $"victim-{i}", pod.Path, _bed.Config());
            Assert.True(del.ExitCode == 0, $"{point}: {del}");
            Assert.True(_bed.Allocations().Count == 0, $"{point}: addresses left after DEL: {string.Join(", ", _bed.Allocations())}");
            Assert.Equal(linksBefore, _bed.NodeLinks());
        }

        // A host veth or addresses: every point after the veth's creation (45 of 55 on 2026-12-04).
        Assert.True(leftSomething >= points.Count / 2, $"only {leftSomething} of {points.Count} kills left something for DEL to clear");
        var gc = _bed.Run("GC", "", "", _bed.Config(",\"cni.dev/valid-attachments\":[]"));
        Assert.True(gc.ExitCode == 0, gc.ToString());
        Assert.Empty(_bed.Allocations());
        Assert.Equal(linksBefore, _bed.NodeLinks());
        Assert.DoesNotContain("victim", _bed.Firewall(), StringComparison.Ordinal);
    }

    /// <summary>One ADD as the runtime execs it, from the node's namespace, under strace with <paramref name="straceArguments"/>.</summary>
    private ProcessResult RunAdd(string containerId, string netns, IReadOnlyList<string> straceArguments)
    {
        var env = new CniInvocation("ADD", containerId, netns, "eth0", "", RepoPaths.BinDirectory).Environment();
        return ProcessRunner.RunIn(_bed.NodeNs, CrashPoints.Strace, env, _bed.Config(), straceArguments);
    }

    /// <summary>The firewall without comments, counter values and chain counters (which change with traffic).</summary>
    private static string Normalize(string firewall) =>
        string.Join('\n', firewall.Split('\n')
            .Where(l => !l.StartsWith('#'))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"counter packets \d+ bytes \d+|\[\d+:\d+\]", "counter")));
}
