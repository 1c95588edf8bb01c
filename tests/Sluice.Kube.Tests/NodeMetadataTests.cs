namespace Sluice.Kube.Tests;

/// <summary>Nodes keep only the metadata the agent reads: at 5,000 nodes their labels and annotations were half of a decoded list.</summary>
public sealed class NodeMetadataTests : FakeApiTest
{
    [Fact]
    public async Task ListNodes_NodeMetadata_KeepsNameUidAndVersionButNotLabels()
    {
        Api.SetNode("node-a", SampleObjects.Node("node-a", "7", "10.244.1.0/24"));
        using var client = Client();

        var node = Assert.Single((await client.ListNodesAsync(TestContext.Current.CancellationToken)).Items);

        Assert.Equal(("node-a", "uid-node-a", "7"), (node.Metadata.Name, node.Metadata.Uid, node.Metadata.ResourceVersion));
        Assert.Null(node.Metadata.Labels);
        Assert.Equal(["10.244.1.0/24"], node.Spec.PodCIDRs);
    }
}
