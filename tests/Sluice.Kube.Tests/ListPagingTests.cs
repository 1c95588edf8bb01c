using Sluice.Kube.Client;

namespace Sluice.Kube.Tests;

/// <summary>Lists are asked for in pages, as client-go's pager asks, and gathered into one list; nodes keep only what the agent reads.</summary>
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

    [Fact]
    public async Task ListNodes_NodeMetadata_KeepsNameUidAndVersionButNotLabels()
    {
        // 5,000 nodes' labels and annotations were half the decoded list; the agent reads none.
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        using var client = Client();

        var node = Assert.Single((await client.ListNodesAsync(TestContext.Current.CancellationToken)).Items);

        Assert.Equal(("node-a", "uid-node-a", "7"), (node.Metadata.Name, node.Metadata.Uid, node.Metadata.ResourceVersion));
        Assert.Null(node.Metadata.Labels);
        Assert.Equal(["10.244.1.0/24"], node.Spec.PodCIDRs);
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
