using System.Text.Json.Nodes;
using Sluice.Agent.Uninstall;
using Sluice.Kube.Client;
using Sluice.Kube.Config;
using Sluice.Kube.Models;

namespace Sluice.Agent.Tests.Uninstall;

/// <summary>The pre-delete hook's work against the fake API server: the DaemonSet patched to run the node-local uninstall everywhere, then its rollout awaited.</summary>
public sealed class DaemonSetUninstallTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("ds-uninstall");
    private readonly StringWriter _log = new();
    private FakeKubeApi _api = null!;
    private KubeClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeKubeApi.StartAsync();
        _api.SetDaemonSet("kube-system", "sluice", SampleDaemonSets.Agent("kube-system", "sluice", generation: 3, nodes: 2));
        _client = new KubeClient(KubeConfig.Load(_api.WriteKubeconfig(_dir.Combine("kubeconfig"))));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    private Task<bool> Start(TimeSpan timeout) =>
        Task.Run(() => new DaemonSetUninstall(_client, "kube-system", "sluice", new AgentLog(_log, "info")).RunAsync(timeout, CancellationToken.None));

    private static async Task Until(Func<bool> condition)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "condition not met within 10 s");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task RunAsync_RolloutCompletes_SwitchesEveryPodToTheUninstallAndReturnsOnceAllAreAvailable()
    {
        var run = Start(TimeSpan.FromSeconds(30));
        await Until(() => _api.Patches.Count == 1);

        var (path, contentType, _) = _api.Patches[0];
        Assert.Equal("/apis/apps/v1/namespaces/kube-system/daemonsets/sluice", path);
        Assert.Equal(KubeClient.StrategicMergePatch, contentType);
        var patched = JsonNode.Parse(_api.DaemonSet("kube-system", "sluice")!)!;
        Assert.Equal(4, patched["metadata"]!["generation"]!.GetValue<long>());
        var container = patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal("""["uninstall","--keep-running","true"]""", container["args"]!.ToJsonString());
        Assert.Equal("localhost:5000/sluice:0.1.0", container["image"]!.GetValue<string>());
        Assert.Equal(2, container["env"]!.AsArray().Count);
        Assert.Equal("100%", patched["spec"]!["updateStrategy"]!["rollingUpdate"]!["maxUnavailable"]!.GetValue<string>());

        // The old status (generation 3) and a half-done rollout are not enough.
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted);
        _api.SetDaemonSetStatus("kube-system", "sluice", observedGeneration: 4, desired: 2, updated: 2, available: 1);
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.False(run.IsCompleted);

        _api.SetDaemonSetStatus("kube-system", "sluice", observedGeneration: 4, desired: 2, updated: 2, available: 2);
        Assert.True(await run.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.Contains("uninstalled on all 2 nodes", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NodesNeverFinish_ReturnsFalseAtTheTimeoutSayingWhatIsMissing()
    {
        var ok = await Start(TimeSpan.FromSeconds(2));

        Assert.False(ok);
        Assert.Contains("not uninstalled on every node within 2 s (waiting for the DaemonSet controller to see the change)", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NoSuchDaemonSet_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<KubeApiException>(() =>
            new DaemonSetUninstall(_client, "kube-system", "other", new AgentLog(_log, "info")).RunAsync(TimeSpan.FromSeconds(5), CancellationToken.None));

        Assert.True(error.IsNotFound, error.Message);
    }

    [Theory]
    [InlineData(3, 2, 2, 2, "waiting for the DaemonSet controller to see the change")]
    [InlineData(4, 3, 1, 3, "1 of 3 nodes run the uninstall")]
    [InlineData(4, 3, 3, 2, "2 of 3 nodes uninstalled")]
    [InlineData(4, 3, 3, 3, null)]
    [InlineData(4, 0, 0, 0, null)]
    public void Progress_Status_SaysWhatTheRolloutWaitsFor(long observed, int desired, int updated, int available, string? expected)
    {
        var daemonSet = new DaemonSet { Status = new DaemonSetStatus { ObservedGeneration = observed, DesiredNumberScheduled = desired, UpdatedNumberScheduled = updated, NumberAvailable = available } };

        Assert.Equal(expected, DaemonSetUninstall.Progress(daemonSet, generation: 4));
    }
}
