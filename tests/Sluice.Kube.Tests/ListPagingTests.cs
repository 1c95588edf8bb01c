using Sluice.Kube.Client;

namespace Sluice.Kube.Tests;

/// <summary>Lists are asked for in pages, as client-go's pager asks, and gathered into one list.</summary>
public sealed class ListPagingTests : FakeApiTest
{
    [Fact]
    public async Task ListNodes_MoreThanAPage_AsksPageByPageAndGathersEveryNodeOnce()
    {
        var names = AddNodes((KubeClient.ListPageSize * 2) + 1);
        using var client = Client();

        var list = await client.ListNodesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(names, list.Items.Select(node => node.Metadata.Name));
        Assert.Null(list.Metadata.Continue);
        Assert.Equal(3, Api.RequestCount("/api/v1/nodes"));
        Assert.Equal($"/api/v1/nodes?limit={KubeClient.ListPageSize}", Api.Requests[0]);
        Assert.All(Api.Requests.Skip(1), request => Assert.StartsWith($"/api/v1/nodes?limit={KubeClient.ListPageSize}&continue=", request, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListNodes_ContinueTokenExpired_AsksOnceForTheWholeList()
    {
        var names = AddNodes(KubeClient.ListPageSize + 1);
        Api.ExpireContinueTokens = true;
        using var client = Client();

        var list = await client.ListNodesAsync(TestContext.Current.CancellationToken);

        Assert.Equal(names, list.Items.Select(node => node.Metadata.Name));
        Assert.Equal(3, Api.RequestCount("/api/v1/nodes"));
        Assert.Equal("/api/v1/nodes", Api.Requests[^1]);
    }

    [Fact]
    public async Task ListPodsOnNode_MoreThanAPage_KeepsTheFieldSelectorOnEveryPage()
    {
        for (var i = 0; i < KubeClient.ListPageSize + 3; i++)
        {
            Api.SetPod("shop", $"web-{i:D4}", SampleObjects.Pod("shop", $"web-{i:D4}", "node-a"));
        }

        Api.SetPod("shop", "elsewhere", SampleObjects.Pod("shop", "elsewhere", "node-b"));
        using var client = Client();

        var list = await client.ListPodsOnNodeAsync("node-a", TestContext.Current.CancellationToken);

        Assert.Equal(KubeClient.ListPageSize + 3, list.Items.Count);
        Assert.Equal(2, Api.RequestCount("/api/v1/pods"));
        Assert.All(Api.Requests, request => Assert.Contains("fieldSelector=spec.nodeName%3Dnode-a&limit=", request, StringComparison.Ordinal));
    }

    private List<string> AddNodes(int count)
    {
        var names = Enumerable.Range(0, count).Select(i => $"node-{i:D4}").ToList();
        foreach (var name in names)
        {
            Api.SetNode(name, SampleObjects.Node(name, "1", "10.244.1.0/24"));
        }

        return names;
    }
}
