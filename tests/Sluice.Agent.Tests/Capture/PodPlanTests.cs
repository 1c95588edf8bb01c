using System.Net;
using System.Text.Json.Nodes;
using Sluice.Agent.Capture;
using Sluice.Redirect;
using Sluice.TestSupport;
using static Sluice.Agent.Tests.Capture.CapturePods;

namespace Sluice.Agent.Tests.Capture;

/// <summary>What the reconciler derives from a pod object is reused for that object only: a changed pod (a new object) is planned afresh.</summary>
public sealed class PodPlanTests
{
    private static readonly RedirectSettings Istio = Plugin("--profile", "istio");
    private static readonly ReconcilerOptions Options = new("node-a", RepairMode.Repair, TimeSpan.FromSeconds(10), new HashSet<string>(StringComparer.Ordinal) { "istio-validation" });

    [Fact]
    public void For_TheSamePodObject_ReusesThePlan()
    {
        var pod = Running(SamplePods.Istio("shop", "reviews"), "10.22.0.5");
        var first = PodPlan.For(null, pod, Istio, Options);

        Assert.Same(first, PodPlan.For(first, pod, Istio, Options));
        Assert.Equal(CaptureNeedKind.Capture, first.Need.Kind);
        Assert.Equal([IPAddress.Parse("10.22.0.5")], first.Addresses);
    }

    [Fact]
    public void For_ANewObjectOfTheSamePod_PlansAfreshWithItsNewPolicyAndAddresses()
    {
        var json = SamplePods.Istio("shop", "reviews");
        var before = PodPlan.For(null, Running(json, "10.22.0.5"), Istio, Options);
        var edited = Edited(json, pod =>
        {
            pod["metadata"]!["annotations"]!.AsObject()["traffic.sidecar.istio.io/excludeOutboundPorts"] = "5432";
            pod["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = "10.22.0.9", ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.22.0.9" }) };
        });

        var after = PodPlan.For(before, edited, Istio, Options);

        Assert.NotSame(before, after);
        Assert.NotEqual(before.Need.Policy, after.Need.Policy);
        Assert.Equal(DesiredCapture.For(edited, Istio, "node-a").Policy, after.Need.Policy);
        Assert.Equal([IPAddress.Parse("10.22.0.9")], after.Addresses);
    }

    [Fact]
    public void SameOutcomeAs_HoldsForAnotherObjectDifferingInAnAppLabelOnly_NotForAPolicyOrAddressOrUncapturedLabel()
    {
        var json = SamplePods.Istio("shop", "reviews");
        var before = PodPlan.For(null, Running(json, "10.22.0.5"), Istio, Options);
        PodPlan After(Action<JsonObject> edit) => PodPlan.For(before, Running(Sluice.TestSupport.Cluster.ClusterKubelet.Edit(json, edit), "10.22.0.5"), Istio, Options);

        var relabelled = After(pod => pod["metadata"]!["labels"]!.AsObject()["tick"] = "7");
        Assert.NotSame(before, relabelled);
        Assert.True(relabelled.SameOutcomeAs(before));

        Assert.False(After(pod => pod["metadata"]!["annotations"]!.AsObject()["traffic.sidecar.istio.io/excludeOutboundPorts"] = "5432").SameOutcomeAs(before));
        Assert.False(After(pod => pod["metadata"]!["labels"]!.AsObject()[UncapturedPodActions.UncapturedLabel] = "true").SameOutcomeAs(before));
        Assert.False(PodPlan.For(before, Running(json, "10.22.0.6"), Istio, Options).SameOutcomeAs(before));
    }
}
