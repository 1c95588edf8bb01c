using System.Text.Json.Nodes;
using Sluice.Kube.Client;

namespace Sluice.Kube.Tests;

/// <summary>PATCH against the fake API server, with the wire format kube-apiserver uses (media types, 422 for a failed test, the patched object back).</summary>
public sealed class PatchTests : FakeApiTest
{
    private const string TaintedNode = """
        {"kind":"Node","apiVersion":"v1","metadata":{"name":"node-a","resourceVersion":"7"},
         "spec":{"podCIDRs":["10.244.1.0/24"],"taints":[
           {"key":"node.kubernetes.io/not-ready","effect":"NoSchedule"},
           {"key":"sluice.io/agent-not-ready","effect":"NoSchedule"}]}}
        """;

    [Fact]
    public async Task PatchNodeAsync_JsonPatchWithTest_RemovesTheTaintAndReturnsTheNode()
    {
        Api.SetNode("node-a", TaintedNode);
        using var client = Client();

        var node = await client.PatchNodeAsync(
            "node-a",
            """[{"op":"test","path":"/spec/taints/1/key","value":"sluice.io/agent-not-ready"},{"op":"remove","path":"/spec/taints/1"}]""",
            TestContext.Current.CancellationToken);

        Assert.Equal(["node.kubernetes.io/not-ready"], node.Spec.Taints.Select(t => t.Key));
        Assert.NotEqual("7", node.Metadata.ResourceVersion);
        Assert.Equal(KubeClient.JsonPatch, Api.Patches.Single().ContentType);
        Assert.Single(JsonNode.Parse(Api.Node("node-a")!)!["spec"]!["taints"]!.AsArray());
    }

    [Fact]
    public async Task PatchNodeAsync_TestFails_Throws422AtOnceAndChangesNothing()
    {
        Api.SetNode("node-a", TaintedNode);
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.PatchNodeAsync(
            "node-a",
            """[{"op":"test","path":"/spec/taints/0/key","value":"sluice.io/agent-not-ready"},{"op":"remove","path":"/spec/taints/0"}]""",
            TestContext.Current.CancellationToken));

        Assert.Equal(422, error.StatusCode);
        Assert.Equal(1, error.Attempts);
        Assert.Contains("PATCH node node-a", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(Api.Node("node-a")!)!["spec"]!["taints"]!.AsArray().Count);
    }

    [Fact]
    public async Task PatchDaemonSetAsync_StrategicMerge_MergesTheContainerByNameAndBumpsTheGeneration()
    {
        Api.SetDaemonSet("kube-system", "sluice", SampleDaemonSets.Agent("kube-system", "sluice", generation: 3, nodes: 2));
        using var client = Client();

        var patched = await client.PatchDaemonSetAsync(
            "kube-system",
            "sluice",
            """{"spec":{"template":{"spec":{"containers":[{"name":"sluice-agent","args":["uninstall"]}]}}}}""",
            TestContext.Current.CancellationToken);
        var daemonSet = await client.GetDaemonSetAsync("kube-system", "sluice", TestContext.Current.CancellationToken);

        Assert.Equal(4, patched.Metadata.Generation);
        Assert.Equal(3, daemonSet.Status.ObservedGeneration);
        Assert.Equal(2, daemonSet.Status.DesiredNumberScheduled);
        var container = JsonNode.Parse(Api.DaemonSet("kube-system", "sluice")!)!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Single()!;
        Assert.Equal("""["uninstall"]""", container["args"]!.ToJsonString());
        Assert.Equal("localhost:5000/sluice:0.1.0", container["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchNodeAsync_NoSuchNode_ThrowsNotFound()
    {
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.PatchNodeAsync("node-x", "[]", TestContext.Current.CancellationToken));

        Assert.True(error.IsNotFound);
    }
}
