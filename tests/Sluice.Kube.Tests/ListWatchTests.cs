using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

public sealed class ListWatchTests : FakeApiTest
{
    [Fact]
    public async Task ListThenWatchNodes_LaterChanges_DeliveredInOrderWithBookmarks()
    {
        Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-a", "101", "10.244.1.0/24"));
        using var client = Client();
        var list = await client.ListNodesAsync(TestContext.Current.CancellationToken);
        Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-b", "102", "10.244.2.0/24"));
        Api.PushNodeEvent(WatchEventTypes.Modified, SampleObjects.Node("node-a", "103", "10.244.1.0/24"));
        var bookmark = Api.PushNodeBookmark();
        Api.PushNodeEvent(WatchEventTypes.Deleted, SampleObjects.Node("node-b", "105", "10.244.2.0/24"));
        Api.EndWatches();

        var events = new List<WatchEvent<Node>>();
        var watch = client.WatchNodesAsync(list.ResourceVersion, TestContext.Current.CancellationToken);
        await foreach (var change in watch)
        {
            events.Add(change);
            if (events.Count == 4)
            {
                break;
            }
        }

        Assert.Equal("node-a", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("101", list.ResourceVersion);
        Assert.Equal(["ADDED node-b", "MODIFIED node-a", "BOOKMARK ", "DELETED node-b"], events.Select(e => $"{e.Type} {e.Object.Metadata.Name}"));
        Assert.True(events[2].IsBookmark);
        Assert.Equal(bookmark, events[2].Object.Metadata.ResourceVersion);
        Assert.Contains($"/api/v1/nodes?watch=1&resourceVersion=101&allowWatchBookmarks=true", Api.Requests);
    }

    [Fact]
    public async Task WatchNodes_EventsPushedWhileOpen_AreStreamed()
    {
        using var client = Client();
        await using var watch = client.WatchNodesAsync("0", TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var next = watch.MoveNextAsync().AsTask();
        await WaitUntil(() => Api.OpenNodeWatches == 1);

        Api.PushNodeEvent(WatchEventTypes.Added, SampleObjects.Node("node-c", "300", "10.244.3.0/24"));

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.Equal("node-c", watch.Current.Object.Metadata.Name);
        var version = Api.PushNodeEvent(WatchEventTypes.Modified, SampleObjects.Node("node-c", "301", "10.244.3.0/24"));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(version, watch.Current.Object.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task WatchNodes_ExpiredResourceVersion_EndsWithGoneError()
    {
        Api.PushNodeWatchError(410, "too old resource version: 5 (4000)", "Expired");
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var unused in client.WatchNodesAsync("5", TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.True(error.IsGone);
        Assert.Contains("too old resource version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListThenWatchPodsOnNode_PodsOfOtherNodes_LeftOutByNodeNameSelector()
    {
        Api.SetPod("default", "here", SampleObjects.Pod("default", "here", "node-a"));
        Api.SetPod("default", "elsewhere", SampleObjects.Pod("default", "elsewhere", "node-b"));
        using var client = Client();

        var list = await client.ListPodsOnNodeAsync("node-a", TestContext.Current.CancellationToken);
        Api.PushPodEvent(WatchEventTypes.Added, SampleObjects.Pod("kube-system", "other-node", "node-b"));
        Api.PushPodEvent(WatchEventTypes.Added, SampleObjects.Pod("kube-system", "new-here", "node-a"));
        Api.EndWatches();
        var events = new List<WatchEvent<Pod>>();
        await foreach (var change in client.WatchPodsOnNodeAsync("node-a", list.ResourceVersion, TestContext.Current.CancellationToken))
        {
            events.Add(change);
            break;
        }

        Assert.Equal("here", Assert.Single(list.Items).Metadata.Name);
        Assert.Equal("kube-system/new-here", $"{events[0].Object.Metadata.Namespace}/{events[0].Object.Metadata.Name}");
        Assert.Contains("/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a", Api.Requests);
        Assert.Contains(
            $"/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-a&watch=1&resourceVersion={list.ResourceVersion}&allowWatchBookmarks=true",
            Api.Requests);
    }

    [Fact]
    public async Task ListPodsOnNode_PodWithValueOfWrongType_FailsNamingTheField()
    {
        Api.SetPod("default", "bad", """{"metadata":{"name":"bad","namespace":"default"},"spec":{"nodeName":"node-a","hostNetwork":"yes"}}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListPodsOnNodeAsync("node-a", TestContext.Current.CancellationToken));

        Assert.Contains("'spec.hostNetwork' expected true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListNodes_NodeWithValueOfWrongType_FailsNamingTheItem()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "1", "10.244.1.0/24"));
        Api.SetNode("node-b", """{"metadata":{"name":"node-b"},"spec":{"unschedulable":"yes"}}""");
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.ListNodesAsync(TestContext.Current.CancellationToken));

        // The fake serves its nodes in no set order: the bad one is item 0 or 1.
        Assert.Matches("the answer is not a valid Node list: item [01] of the list: invalid JSON", error.Message);
        Assert.Contains("(at $.spec.unschedulable)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchPodsOnNode_EventWithValueOfWrongType_EndsTheWatchWithAnApiError()
    {
        using var client = Client();
        Api.PushPodEvent(WatchEventTypes.Added, """{"metadata":{"name":"bad","namespace":"default"},"spec":{"nodeName":"node-a","containers":[{"ports":[{"containerPort":"80"}]}]}}""");
        Api.EndWatches();

        var error = await Assert.ThrowsAsync<KubeApiException>(async () =>
        {
            await foreach (var unused in client.WatchPodsOnNodeAsync("node-a", "0", TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Contains("'spec.containers[0].ports[0].containerPort' expected an integer", error.Message, StringComparison.Ordinal);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 30 s");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
