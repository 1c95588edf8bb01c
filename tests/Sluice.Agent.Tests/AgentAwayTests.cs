using Sluice.TestSupport.Cluster;

namespace Sluice.Agent.Tests;

/// <summary>
/// The agent away (stopped for a restart, an upgrade, a liveness kill): its files stay on the node,
/// so a mesh pod created meanwhile is still captured, sluice-redirect asking the API server itself
/// through sluice-kube and the plugins' kubeconfig; without the API server the pod does not start.
/// </summary>
public sealed class AgentAwayTests : IDisposable
{
    private readonly TwoNodeCluster _cluster = new();

    public void Dispose() => _cluster.Dispose();

    /// <summary>The capture rules in the pod's namespace, whichever backend installed them.</summary>
    private static string Rules(ClusterPod pod) => pod.Ns.Exec("nft", "list", "ruleset") + pod.Ns.TryExec("iptables-save").Stdout;

    /// <remarks>Fails on 493b7e3: SIGTERM removed the conflist, so the ADD found no configuration.</remarks>
    [RootFact]
    public void AgentStopped_MeshPodCreatedMeanwhile_IsCapturedThroughTheApiServer_AndFailsClosedWithoutIt()
    {
        _cluster.Api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews", nodeName: "node-a"));
        _cluster.Api.SetPod("shop", "ratings", SamplePods.Istio("shop", "ratings", nodeName: "node-a"));
        _cluster.Api.SetPod("shop", "details", SamplePods.Istio("shop", "details", nodeName: "node-a"));
        _cluster.StartAgents(("CHAINED", "true"), ("PROFILE", "istio"));
        var log = _cluster.A.StopAgent();

        var uid = System.Text.Json.Nodes.JsonNode.Parse(SamplePods.Istio("shop", "reviews", nodeName: "node-a"))!["metadata"]!["uid"]!.GetValue<string>();
        var reviews = _cluster.A.AddPod("reviews", "shop", uid);

        Assert.True(_cluster.Api.RequestCount("/api/v1/namespaces/shop/pods/reviews") > 0, "the plugin did not ask the API server");
        Assert.Contains("sluice", Rules(reviews), StringComparison.Ordinal);
        Assert.True(_cluster.A.CheckPod(reviews).ExitCode == 0, log);

        // A sandbox for a pod that no longer exists (the API server's pod of that name has another UID) is refused.
        var stale = Assert.Throws<ClusterException>(() => _cluster.A.AddPod("details", "shop", "uid-of-a-deleted-pod"));
        Assert.Contains("not uid-of-a-deleted-pod", stale.Message, StringComparison.Ordinal);

        _cluster.Api.FailNext(503, 1000, "the API server is down");
        var error = Assert.Throws<ClusterException>(() => _cluster.A.AddPod("ratings", "shop"));

        Assert.Contains("the API server is down", error.Message, StringComparison.Ordinal);
    }
}
