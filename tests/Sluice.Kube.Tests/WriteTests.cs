using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Kube.Tests;

/// <summary>The writes the agent makes (events, pod labels, pod deletion), against the fake API server's wire format.</summary>
public sealed class WriteTests : FakeApiTest
{
    private static KubeEvent Event(string ns, string pod) => new()
    {
        Metadata = new ObjectMeta { Name = $"{pod}.17f2a", Namespace = ns },
        InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = ns, Name = pod, Uid = "u-1" },
        Reason = "CaptureRepaired",
        Message = "sluice-agent capture repaired with nftables",
        Type = "Normal",
        Source = new EventSource { Component = "sluice-agent", Host = "node-a" },
        FirstTimestamp = "2026-12-01T10:00:00Z",
        LastTimestamp = "2026-12-01T10:00:00Z",
    };

    [Fact]
    public async Task CreateEventAsync_PostsACoreV1EventInItsObjectsNamespace()
    {
        using var client = Client();

        await client.CreateEventAsync(Event("shop", "reviews"), TestContext.Current.CancellationToken);

        var posted = Assert.Single(Api.EventsFor("shop", "reviews"));
        Assert.Equal("v1", (string?)posted["apiVersion"]);
        Assert.Equal("Event", (string?)posted["kind"]);
        Assert.Equal("CaptureRepaired", (string?)posted["reason"]);
        Assert.Equal("Normal", (string?)posted["type"]);
        Assert.Equal("u-1", (string?)posted["involvedObject"]!["uid"]);
        Assert.Equal("sluice-agent", (string?)posted["source"]!["component"]);
        Assert.Equal(1, (int?)posted["count"]);
        Assert.Equal(1, Api.RequestCount("/api/v1/namespaces/shop/events"));
    }

    [Fact]
    public async Task CreateEventAsync_RefusedByTheServer_IsAKubeApiException()
    {
        using var client = Client();
        Api.FailNext(403, 1, "events is forbidden: User \"system:serviceaccount:kube-system:sluice\" cannot create resource \"events\"");

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.CreateEventAsync(Event("shop", "reviews"), TestContext.Current.CancellationToken));

        Assert.Equal(403, error.StatusCode);
        Assert.StartsWith("POST event shop/reviews.17f2a from ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PatchPodLabelsAsync_SetsAndRemovesLabels_AndTheWatchSeesIt()
    {
        Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var uid = (string)Api.Pod("shop", "reviews")!["metadata"]!["uid"]!;
        using var client = Client();

        await client.PatchPodLabelsAsync("shop", "reviews", uid, new Dictionary<string, string?> { ["sluice.io/uncaptured"] = "true", ["app"] = null }, TestContext.Current.CancellationToken);

        var labels = Api.Pod("shop", "reviews")!["metadata"]!["labels"]!.AsObject();
        Assert.Equal("true", (string?)labels["sluice.io/uncaptured"]);
        Assert.False(labels.ContainsKey("app"));
        Assert.Equal("v1", (string?)labels["version"]);
        var pod = await client.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken);
        Assert.Equal("true", pod.Metadata.Labels!["sluice.io/uncaptured"]);
    }

    [Fact]
    public async Task PatchPodLabelsAsync_OfASameNamedSuccessor_IsAConflictAndChangesNothing()
    {
        Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        using var client = Client();

        var error = await Assert.ThrowsAsync<KubeApiException>(() => client.PatchPodLabelsAsync("shop", "reviews", "an-older-uid", new Dictionary<string, string?> { ["sluice.io/uncaptured"] = "true" }, TestContext.Current.CancellationToken));

        Assert.Equal(409, error.StatusCode);
        Assert.False(Api.Pod("shop", "reviews")!["metadata"]!["labels"]!.AsObject().ContainsKey("sluice.io/uncaptured"));
    }

    [Fact]
    public async Task DeletePodAsync_DeletesThePodWithThatUid_AndIsFalseForAnotherOrAMissingOne()
    {
        Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var uid = (string)Api.Pod("shop", "reviews")!["metadata"]!["uid"]!;
        using var client = Client();

        Assert.False(await client.DeletePodAsync("shop", "reviews", "an-older-uid", TestContext.Current.CancellationToken));
        Assert.NotNull(Api.Pod("shop", "reviews"));
        Assert.True(await client.DeletePodAsync("shop", "reviews", uid, TestContext.Current.CancellationToken));
        Assert.Null(Api.Pod("shop", "reviews"));
        Assert.Equal([$"shop/reviews {uid}"], Api.Deletions);
        Assert.False(await client.DeletePodAsync("shop", "reviews", uid, TestContext.Current.CancellationToken));
    }
}
