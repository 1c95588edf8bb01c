using System.Collections.Concurrent;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

/// <summary>
/// <see cref="ListWatch{T}"/> against the fake API server: one list, then watches resumed from the
/// last version seen; a list again only when the version is gone or an event cannot be read.
/// </summary>
public sealed class ListWatchLoopTests : FakeApiTest
{
    private readonly ConcurrentQueue<string> _seen = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private int _listed;

    [Fact]
    public async Task ServerEndsTheWatch_ResumesFromTheLastVersion_WithoutListing()
    {
        Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-a", "1", "10.244.1.0/24"));
        using var client = Client();
        var (loop, run, stop) = Start(client);

        await WaitUntil(() => Api.OpenNodeWatches == 1);
        var last = Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-b", "1", "10.244.2.0/24"));
        await WaitUntil(() => _seen.Count == 1);
        Api.EndWatches();
        Api.PushNodeEvent(WatchEventTypes.Modified, SampleObjects.Node("node-b", "1", "10.244.2.0/24"));
        Api.PushNodeEvent(WatchEventTypes.Deleted, SampleObjects.Node("node-a", "1", "10.244.1.0/24"));
        await WaitUntil(() => _seen.Count == 3);

        await stop.CancelAsync();
        await run;
        Assert.Equal(["ADDED node-b", "MODIFIED node-b", "DELETED node-a"], _seen);
        Assert.Equal(1, loop.Lists);
        Assert.Equal(1, Api.Requests.Count(r => r == "/api/v1/nodes"));
        Assert.Contains($"/api/v1/nodes?watch=1&resourceVersion={last}&allowWatchBookmarks=true", Api.Requests);
        Assert.Empty(_warnings);
    }

    [Fact]
    public async Task ListNodes_ThousandsOfNodes_AllDecoded()
    {
        // Megabytes of list, far beyond any read buffer (the agent at scale), not two nodes.
        for (var i = 0; i < 3000; i++)
        {
            Api.SetNode($"node-{i}", SampleObjects.Node($"node-{i}", "1", $"10.{64 + (i >> 8)}.{i & 0xff}.0/24"));
        }

        using var client = Client();
        var list = await client.ListNodesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(3000, list.Items.Count);
        Assert.Equal(3000, list.Items.Select(n => n.Metadata.Name).Distinct().Count());
    }

    [Fact]
    public async Task Bookmark_MovesTheVersionTheWatchResumesFrom()
    {
        using var client = Client();
        var (loop, run, stop) = Start(client);
        await WaitUntil(() => Api.OpenNodeWatches == 1);

        // What a watch was sent before it ended is still read (the server wrote it before ending).
        var bookmark = Api.PushNodeBookmark();
        Api.EndWatches();
        await WaitUntil(() => Api.Requests.Contains($"/api/v1/nodes?watch=1&resourceVersion={bookmark}&allowWatchBookmarks=true"));

        await stop.CancelAsync();
        await run;
        Assert.Empty(_seen);
        Assert.Equal(1, loop.Lists);
    }

    [Fact]
    public async Task VersionGone_ListsAgain()
    {
        using var client = Client();
        var (loop, run, stop) = Start(client);
        await WaitUntil(() => Api.OpenNodeWatches == 1);

        Api.PushNodeWatchError(410, "too old resource version: 101 (180)", "Expired");
        await WaitUntil(() => Volatile.Read(ref _listed) == 2);

        await stop.CancelAsync();
        await run;
        Assert.Equal(2, loop.Lists);
        Assert.Contains(_warnings, w => w.Contains("too old resource version", StringComparison.Ordinal) && w.EndsWith("listing again", StringComparison.Ordinal));
        Assert.Equal(2, _listed);
    }

    [Fact]
    public async Task ServerUnreachableForAWhile_WatchesAgainFromTheVersion_WithoutListing()
    {
        // One attempt, so the watch's failure reaches the loop at once (the unreachable server
        // aborts every connection); time enough for a cold first list on a busy machine.
        using var client = Client(new KubeClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), TotalTimeout = TimeSpan.FromSeconds(10), MaxAttempts = 1 });
        var (loop, run, stop) = Start(client);
        await WaitUntil(() => Api.OpenNodeWatches == 1);
        var version = Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-a", "1", "10.244.1.0/24"));
        await WaitUntil(() => _seen.Count == 1);

        Api.Unreachable = true;
        Api.EndWatches();
        await WaitUntil(() => !_warnings.IsEmpty);
        Api.Unreachable = false;
        Api.PushNodeEvent(WatchEventTypes.Deleted, SampleObjects.Node("node-a", "1", "10.244.1.0/24"));
        await WaitUntil(() => _seen.Count == 2);

        await stop.CancelAsync();
        await run;
        Assert.Equal(1, loop.Lists);
        Assert.Contains(_warnings, w => w.Contains($"watching again from version {version}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UndecodableEvent_ListsAgain()
    {
        using var client = Client();
        var (loop, run, stop) = Start(client);
        await WaitUntil(() => Api.OpenNodeWatches == 1);

        Api.PushNodeEvent(WatchEventTypes.Added, """{"kind":"Node","metadata":{"name":"bad"},"spec":{"podCIDRs":"10.244.9.0/24"}}""");
        await WaitUntil(() => loop.Lists == 2);

        await stop.CancelAsync();
        await run;
        Assert.Contains(_warnings, w => w.Contains("not a valid Node", StringComparison.Ordinal) && w.EndsWith("listing again in 1 s", StringComparison.Ordinal));
    }

    private (ListWatch<Node> Loop, Task Run, CancellationTokenSource Stop) Start(KubeClient client)
    {
        var loop = new ListWatch<Node>(client.ListNodesAsync, client.WatchNodesAsync, node => node.Metadata.ResourceVersion)
        {
            What = "nodes",
            Listed = _ => Interlocked.Increment(ref _listed),
            Changed = change => _seen.Enqueue($"{change.Type} {change.Object.Metadata.Name}"),
            Warn = _warnings.Enqueue,
        };
        var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        return (loop, Task.Run(() => loop.RunAsync(stop.Token), TestContext.Current.CancellationToken), stop);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 30 s");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
