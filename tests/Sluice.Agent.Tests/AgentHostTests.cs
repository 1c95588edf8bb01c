namespace Sluice.Agent.Tests;

/// <summary>One reconcile pass at a time, on temporary directories: readiness, its reason, and a log that reports a problem once.</summary>
public sealed class AgentHostTests : IDisposable
{
    private readonly TempDirectory _dir = new("agent-host");
    private readonly StringWriter _log = new();

    public void Dispose() => _dir.Dispose();

    private AgentHost Host(string runDir) => TestHosts.Create(_dir, _log, runDir);

    [Fact]
    public void Reconcile_PrimaryConfigurationMissingThenWritten_IsNotReadyWithTheReasonThenReadyAndLogsRecovered()
    {
        var host = Host(_dir.Combine("run"));

        host.Reconcile();
        Assert.False(host.Ready);
        Assert.Contains("waiting for the primary plugin's configuration", host.NotReadyBecause, StringComparison.Ordinal);

        Directory.CreateDirectory(_dir.Combine("net.d"));
        File.WriteAllText(_dir.Combine("net.d/10-bridge.conflist"), """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""");
        host.Reconcile();

        Assert.True(host.Ready, host.NotReadyBecause);
        Assert.Null(host.NotReadyBecause);
        Assert.Contains("recovered", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reconcile_SameProblemThreeTimes_LogsItOnceCountsEachAndNamesItsPath()
    {
        File.WriteAllText(_dir.Combine("not-a-dir"), "");
        var host = Host(_dir.Combine("not-a-dir/run"));

        for (var i = 0; i < 3; i++)
        {
            host.Reconcile();
        }

        Assert.False(host.Ready);
        Assert.Contains(_dir.Combine("not-a-dir/run/sluice-kubeconfig"), host.NotReadyBecause, StringComparison.Ordinal);
        Assert.Equal(1, _log.ToString().Split('\n').Count(l => l.Contains(" error ", StringComparison.Ordinal) && l.Contains("sluice-kubeconfig", StringComparison.Ordinal)));
        Assert.Equal(3, host.Counters.ReconcileErrors);
    }

    [Fact]
    public void Reconcile_StandaloneMode_WritesItsOwnConflistLeavesThePrimaryUntouchedAndUninstallRemovesIt()
    {
        Directory.CreateDirectory(_dir.Combine("net.d"));
        var primary = _dir.Combine("net.d/10-bridge.conflist");
        const string primaryText = """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""";
        File.WriteAllText(primary, primaryText);
        var host = TestHosts.Create(_dir, _log, null, "--chained", "false");

        host.Reconcile();

        var own = _dir.Combine("net.d/zz-sluice-redirect.conflist");
        Assert.True(host.Ready, host.NotReadyBecause);
        Assert.Equal(primaryText, File.ReadAllText(primary));
        var plugins = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(own))!["plugins"]!.AsArray();
        Assert.Equal("sluice-redirect", (string)plugins.Single()!["type"]!);
        host.Uninstall();
        Assert.False(File.Exists(own));
        Assert.Equal(primaryText, File.ReadAllText(primary));
    }
}
