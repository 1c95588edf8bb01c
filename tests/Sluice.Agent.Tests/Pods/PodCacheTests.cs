using System.Text.Json.Nodes;
using Sluice.Agent.Pods;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests.Pods;

/// <summary>The pod cache's answers by UID, and the bounded, expiring memory of pods fetched on a miss (no watch ever deletes those).</summary>
public sealed class PodCacheTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("pod-cache");
    private readonly ManualTime _time = new();
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

    private PodCache Cache(int capacity = 8) => new(_client, "node-a", new AgentLog(TextWriter.Null, "debug"), new FetchedPods(TimeSpan.FromSeconds(30), capacity, _time));

    private int Requests(string pod) => _api.RequestCount($"/api/v1/namespaces/shop/pods/{pod}");

    private static string WithUid(string podJson, string uid)
    {
        var pod = JsonNode.Parse(podJson)!;
        pod["metadata"]!["uid"] = uid;
        return pod.ToJsonString();
    }

    /// <remarks>Fails on 493b7e3: a pod fetched on a miss stayed in the cache for good.</remarks>
    [Fact]
    public async Task GetAsync_PodFetchedOnAMiss_IsServedFromMemoryUntilItsTtlThenFetchedAgain()
    {
        _api.SetPod("shop", "web", SamplePods.Plain("shop", "web", nodeName: "node-b"));
        var cache = Cache();
        var ct = TestContext.Current.CancellationToken;

        // Counted around each lookup: on a loaded machine one lookup may take two attempts.
        Assert.NotNull((await cache.GetAsync("shop", "web", null, ct)).Pod);
        var fetched = Requests("web");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull((await cache.GetAsync("shop", "web", null, ct)).Pod);
        Assert.Equal(fetched, Requests("web"));

        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.NotNull((await cache.GetAsync("shop", "web", null, ct)).Pod);
        Assert.True(Requests("web") > fetched, "the expired pod was not fetched again");
    }

    [Fact]
    public async Task GetAsync_MoreFetchedPodsThanTheBound_ForgetsTheOldest()
    {
        for (var i = 0; i < 4; i++)
        {
            _api.SetPod("shop", $"web-{i}", SamplePods.Plain("shop", $"web-{i}", nodeName: "node-b"));
        }

        var cache = Cache(capacity: 3);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 4; i++)
        {
            await cache.GetAsync("shop", $"web-{i}", null, ct);
        }

        var (newest, oldest) = (Requests("web-3"), Requests("web-0"));
        await cache.GetAsync("shop", "web-3", null, ct);
        await cache.GetAsync("shop", "web-0", null, ct);

        Assert.Equal(newest, Requests("web-3"));
        Assert.True(Requests("web-0") > oldest, "the oldest fetched pod was not forgotten");
    }

    /// <remarks>Fails on 493b7e3: the API's pod was answered whatever its UID.</remarks>
    [Fact]
    public async Task GetAsync_UidTheApisPodDoesNotHave_IsStaleNotThatPod()
    {
        _api.SetPod("shop", "db-0", WithUid(SamplePods.Plain("shop", "db-0", nodeName: "node-a"), "uid-new"));
        var cache = Cache();

        var answer = await cache.GetAsync("shop", "db-0", "uid-old", TestContext.Current.CancellationToken);

        Assert.Null(answer.Pod);
        Assert.Equal("uid-new", answer.OtherUid);
    }

    [Fact]
    public async Task GetAsync_RecreatedPodAlreadyFetchedUnderItsOldUid_IsFetchedAgainForTheNewOne()
    {
        var ct = TestContext.Current.CancellationToken;
        _api.SetPod("shop", "db-0", WithUid(SamplePods.Plain("shop", "db-0", nodeName: "node-b"), "uid-1"));
        var cache = Cache();
        Assert.Equal("uid-1", (await cache.GetAsync("shop", "db-0", "uid-1", ct)).Pod!.Metadata.Uid);

        _api.SetPod("shop", "db-0", WithUid(SamplePods.Plain("shop", "db-0", nodeName: "node-b"), "uid-2"));
        var answer = await cache.GetAsync("shop", "db-0", "uid-2", ct);

        Assert.Equal("uid-2", answer.Pod!.Metadata.Uid);
    }

    [Fact]
    public async Task GetAsync_NoSuchPod_IsNotFound()
    {
        var answer = await Cache().GetAsync("shop", "nobody", null, TestContext.Current.CancellationToken);

        Assert.Null(answer.Pod);
        Assert.Null(answer.OtherUid);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan span) => _now += span;
    }
}
