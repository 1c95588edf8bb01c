using System.Text.Json.Nodes;
using Sluice.Agent.Nodes;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests.Nodes;

/// <summary>The readiness taint taken off this node's Node object through the fake API server, with a JSON patch guarded by tests.</summary>
public sealed class ReadinessTaintTests : IAsyncLifetime
{
    private const string Key = ReadinessTaint.DefaultKey;
    private readonly TempDirectory _dir = new("taint");
    private readonly StringWriter _log = new();
    private FakeKubeApi _api = null!;
    private KubeClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        _api = await FakeKubeApi.StartAsync();
        _client = new KubeClient(KubeConfig.Load(_api.WriteKubeconfig(_dir.Combine("kubeconfig"))));
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    private ReadinessTaint Taint() => new(_client, "node-a", Key, new AgentLog(_log, "info"));

    private string[] TaintsNow() =>
        JsonNode.Parse(_api.Node("node-a")!)!["spec"]!["taints"]?.AsArray().Select(t => $"{t!["key"]}:{t["effect"]}").ToArray() ?? [];

    [Fact]
    public async Task RemoveAsync_TaintAmongOthers_RemovesOnlyItsNoScheduleTaint()
    {
        _api.SetNode("node-a", SampleNodes.Node("node-a", ["10.244.1.0/24"], ["10.0.0.1"], [("node.kubernetes.io/not-ready", "NoSchedule"), (Key, "NoSchedule"), (Key, "NoExecute")]));

        var removed = await Taint().RemoveAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, removed);
        Assert.Equal(["node.kubernetes.io/not-ready:NoSchedule", $"{Key}:NoExecute"], TaintsNow());
        var (path, contentType, body) = Assert.Single(_api.Patches);
        Assert.Equal("/api/v1/nodes/node-a", path);
        Assert.Equal(KubeClient.JsonPatch, contentType);
        Assert.Equal(
            $$"""[{"op":"test","path":"/spec/taints/1/key","value":"{{Key}}"},{"op":"test","path":"/spec/taints/1/effect","value":"NoSchedule"},{"op":"remove","path":"/spec/taints/1"}]""",
            body);
        Assert.Contains($"removed the taint {Key}:NoSchedule from node node-a", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemoveAsync_NoTaint_SendsNoPatch()
    {
        _api.SetNode("node-a", SampleNodes.Node("node-a", ["10.244.1.0/24"], ["10.0.0.1"]));

        Assert.Equal(0, await Taint().RemoveAsync(TestContext.Current.CancellationToken));
        Assert.Empty(_api.Patches);
    }

    [Fact]
    public async Task RunAsync_RemovesTheTaintOnlyOnceTheAgentIsReady()
    {
        _api.SetNode("node-a", SampleNodes.Node("node-a", ["10.244.1.0/24"], ["10.0.0.1"], [(Key, "NoSchedule")]));
        var ready = false;
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => Taint().RunAsync(() => Volatile.Read(ref ready), stop.Token), TestContext.Current.CancellationToken);

        await Task.Delay(1000, TestContext.Current.CancellationToken);
        Assert.Equal([$"{Key}:NoSchedule"], TaintsNow());

        Volatile.Write(ref ready, true);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (TaintsNow().Length > 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "the taint was not removed once ready");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task RunAsync_ApiFailing_KeepsTryingWhileReady()
    {
        _api.SetNode("node-a", SampleNodes.Node("node-a", ["10.244.1.0/24"], ["10.0.0.1"], [(Key, "NoSchedule")]));
        _api.FailNext(403, 1, "nodes \"node-a\" is forbidden");
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => Taint().RunAsync(() => true, stop.Token), TestContext.Current.CancellationToken);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (TaintsNow().Length > 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the taint was not removed after the API recovered");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        await stop.CancelAsync();
        await run.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Contains("forbidden", _log.ToString(), StringComparison.Ordinal);
    }
}
