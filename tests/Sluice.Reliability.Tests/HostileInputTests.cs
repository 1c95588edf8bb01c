using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// Issue 17's hostile inputs against the published binaries, one case each (Lab/HostileCases.cs):
/// paths, special files where a path is expected, sizes, encodings, JSON types, out-of-range
/// numbers and injection attempts. Every case asserts the exact outcome (the CNI error code, or
/// sluice-iptables' exit status), that the message names the problem, that nothing hung or
/// crashed, and that nothing changed on the node: a snapshot of every file under the node's
/// temporary directory (the store included) and of the node namespace's links, addresses, routes,
/// policy rules and firewall rules is the same before and after.
/// </summary>
public sealed class HostileInputTests(HostileRig rig) : IClassFixture<HostileRig>
{
    public static TheoryData<string> Names => [.. HostileCases.All.Select(c => c.Name)];

    [RootFact]
    public void TheSuite_HasAtLeastSixtyCasesInEveryFamily() =>
        Assert.True(HostileCases.All.Count >= 60, $"{HostileCases.All.Count} cases");

    [RootTheory]
    [MemberData(nameof(Names))]
    public void Case_EndsWithItsExactCode_AndChangesNothingOnTheNode(string name)
    {
        var test = HostileCases.Find(name);
        var call = test.Build(rig);
        var before = NodeSnapshot.Take(rig.Lab.Directory, rig.Lab.Node);
        var watch = Stopwatch.StartNew();
        var outcome = PluginRun.Run(rig.Lab.NodeNs, RepoPaths.Binary(test.Binary), call.Env, call.Stdin, call.Arguments, timeout: TimeSpan.FromSeconds(30), workingDirectory: rig.Lab.Directory);
        var elapsed = watch.Elapsed;
        test.Cleanup?.Invoke(rig);
        var changes = before.Changes(NodeSnapshot.Take(rig.Lab.Directory, rig.Lab.Node));
        var store = Path.Combine(rig.Lab.StoreDir, "10.53.0.9");
        if (File.Exists(store))
        {
            File.Delete(store);
        }

        Figures.Report($"hostile-{name}", [("exit", outcome.ExitCode), ("elapsed_ms", elapsed.TotalMilliseconds), ("changes", changes.Length == 0 ? 0 : changes.Split('\n').Length)], changes.Length == 0 ? null : changes);

        Assert.False(outcome.TimedOut, $"hung: {outcome}");
        Assert.True(outcome.ExitCode < PluginRun.SignalBase, $"crashed: {outcome}");
        Assert.DoesNotContain("   at ", outcome.Stdout + outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", outcome.Stderr, StringComparison.Ordinal);
        var message = test.MessagePart.Replace("{fifo}", rig.Fifo, StringComparison.Ordinal);
        if (test.IsTool)
        {
            Assert.True(test.Expected == outcome.ExitCode, $"expected exit {test.Expected}: {outcome}");
            Assert.Contains(message, outcome.Stderr, StringComparison.Ordinal);
        }
        else if (test.Expected == 0)
        {
            Assert.True(outcome.ExitCode == 0, outcome.ToString());
        }
        else
        {
            Assert.True(outcome.ExitCode == 1, outcome.ToString());
            var error = JsonNode.Parse(outcome.Stdout)!;
            Assert.True(test.Expected == (int)error["code"]!, $"expected error {test.Expected}: {outcome}");
            Assert.Contains(message, (string)error["msg"]!, StringComparison.Ordinal);
        }

        Assert.True(changes.Length == 0, $"the node changed:\n{changes}\n{outcome}");
        Assert.All(outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^(\d{4}-\d\d-\d\dT|sluice-iptables: |Try )", line));
        Assert.Equal("precious\n", File.ReadAllText(rig.Precious));
    }
}
