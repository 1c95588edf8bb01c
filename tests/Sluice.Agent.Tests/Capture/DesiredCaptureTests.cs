using System.Text.Json.Nodes;
using Sluice.Agent.Capture;
using Sluice.Agent.Settings;
using Sluice.Capture.Policy;
using Sluice.Redirect;
using static Sluice.Agent.Tests.Capture.CapturePods;

namespace Sluice.Agent.Tests.Capture;

/// <summary>The reconciler's desired state: the plugin's own decision, for pods that have a namespace of their own and still run on this node.</summary>
public sealed class DesiredCaptureTests
{
    private static readonly RedirectSettings Istio = Plugin("--profile", "istio");
    private static readonly RedirectSettings Msm = Plugin("--profile", "msm");

    [Fact]
    public void For_AnIstioPod_GivesThePluginsPolicyForIt()
    {
        var pod = Read(SamplePods.Istio("shop", "reviews"));

        var need = DesiredCapture.For(pod, Istio, "node-a");

        Assert.Equal(CaptureNeedKind.Capture, need.Kind);
        var plugins = CaptureDecider.Decide(Istio, PodFacts.From(pod, "shop", "reviews"));
        Assert.Equal(plugins.Policy, need.Policy);
        Assert.True(need.Policy!.CapturesInbound);
    }

    [Fact]
    public void For_AnMsmPodWithTheMsmProfile_GivesTheMsmPreset() =>
        Assert.Equal(CapturePresets.Msm, DesiredCapture.For(Read(SamplePods.Msm("media", "camera")), Msm, "node-a").Policy);

    [Fact]
    public void For_APlainPod_IsNotNeededWithThePluginsReason()
    {
        var need = DesiredCapture.For(Read(SamplePods.Plain("batch", "job")), Istio, "node-a");

        Assert.Equal(CaptureNeedKind.NotNeeded, need.Kind);
        Assert.Equal("no istio-proxy container", need.Reason);
    }

    [Fact]
    public void For_AHostNetworkMeshPod_IsNotNeeded()
    {
        var pod = Edited(SamplePods.Istio("shop", "reviews"), p => p["spec"]!["hostNetwork"] = true);

        var need = DesiredCapture.For(pod, Istio, "node-a");

        Assert.Equal(CaptureNeedKind.NotNeeded, need.Kind);
        Assert.Equal("the pod uses the host's network", need.Reason);
    }

    [Fact]
    public void For_AMeshPodOfAnotherNode_IsNotNeeded() =>
        Assert.Equal(CaptureNeedKind.NotNeeded, DesiredCapture.For(Read(SamplePods.Istio("shop", "reviews", nodeName: "node-b")), Istio, "node-a").Kind);

    [Theory]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public void For_AFinishedMeshPod_IsNotNeeded(string phase)
    {
        var pod = Edited(SamplePods.Istio("shop", "reviews"), p => p["status"]!["phase"] = phase);

        Assert.Equal(CaptureNeedKind.NotNeeded, DesiredCapture.For(pod, Istio, "node-a").Kind);
    }

    [Fact]
    public void For_AMeshPodInAnExcludedNamespace_IsNotNeeded()
    {
        var plugin = Plugin("--profile", "istio", "--exclude-namespaces", "kube-system,shop");

        Assert.Equal(CaptureNeedKind.NotNeeded, DesiredCapture.For(Read(SamplePods.Istio("shop", "reviews")), plugin, "node-a").Kind);
    }

    [Fact]
    public void For_AMeshPodWithAMalformedAnnotation_IsInvalidNamingIt()
    {
        var pod = Read(SamplePods.Istio("shop", "reviews", extraAnnotations: ",\"traffic.sidecar.istio.io/excludeOutboundPorts\": \"http\""));

        var need = DesiredCapture.For(pod, Istio, "node-a");

        Assert.Equal(CaptureNeedKind.Invalid, need.Kind);
        Assert.Contains("traffic.sidecar.istio.io/excludeOutboundPorts", need.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ThePluginConfigGivenAsJson_DecidesWithIt()
    {
        var plugin = PluginEntrySettings.For(AgentSettings.Parse(["--plugin-config", """{"type":"sluice-redirect","profile":"msm","capture":{"outboundPort":9554}}"""], new Dictionary<string, string>(), TextWriter.Null)!);

        Assert.Equal(9554, DesiredCapture.For(Read(SamplePods.Msm("media", "camera")), plugin, "node-a").Policy!.OutboundPort);
    }

    [Fact]
    public void PluginEntrySettings_OfAnInvalidEntry_NameThePluginConfigAndTheField()
    {
        var settings = AgentSettings.Parse(["--plugin-config", """{"type":"sluice-redirect","backend":"ebpf"}"""], new Dictionary<string, string>(), TextWriter.Null)!;

        var error = Assert.Throws<Sluice.CommandLine.CommandLineException>(() => PluginEntrySettings.For(settings));

        Assert.StartsWith("PLUGIN_CONFIG: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("backend", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_SetsThePhaseAndAddresses() =>
        Assert.Equal(["10.0.0.5", "fd00::5"], Running(SamplePods.Plain("a", "b"), "10.0.0.5", "fd00::5").Status.PodIPs.Select(p => p.Ip));

    [Fact]
    public void Edited_KeepsWhatItDoesNotTouch() =>
        Assert.Equal("reviews", Edited(SamplePods.Istio("shop", "reviews"), p => p["metadata"]!["labels"] = new JsonObject()).Metadata.Name);
}
