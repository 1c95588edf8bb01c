using Sluice.TestSupport.Cluster;

namespace Sluice.Agent.Tests.Capture;

/// <summary>
/// The capture reconciler in the two-node cluster (fake API server, agents, pods through libcni):
/// each gap of issue 16 as a pod that today's agent leaves without capture, and the modes.
/// </summary>
public sealed class CaptureReconcilerTests
{
    private static string Istio(string name) => SamplePods.Istio("shop", name, "node-a");

    [RootFact]
    public void FlushedRules_InARunningMeshPod_AreRepaired_AndAnEventSaysSo()
    {
        using var lab = new ReconcilerCluster();
        var json = Istio("reviews");
        var pod = lab.Start(json);
        Assert.Empty(ReconcilerCluster.Problems(pod, json));

        pod.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");

        lab.WaitCaptured(pod, json, "the agent did not repair the flushed rules");
        lab.WaitForEvent(pod, "Normal CaptureRepaired:");
        Assert.Contains("no capture rules in its network namespace (sandbox record ctr-reviews)", Assert.Single(lab.Events(pod)), StringComparison.Ordinal);
        lab.WaitForStatus(@"repaired +shop/reviews +rules put back once, the last \d+ s ago: no capture rules in its network namespace");
    }

    [RootFact]
    public void EditedRules_InARunningMeshPod_AreRepaired()
    {
        using var lab = new ReconcilerCluster();
        var json = Istio("ratings");
        var pod = lab.Start(json);

        pod.Ns.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");

        lab.WaitCaptured(pod, json, "the agent did not repair the emptied chain");
        lab.WaitForEvent(pod, "Normal CaptureRepaired:", "nat_output is empty");
    }

    [RootFact]
    public void MeshPodStartedWhileTheEntryWasMissing_IsCaptured_AndAPlainOneIsLeftAlone()
    {
        using var lab = new ReconcilerCluster();
        var without = lab.A.ConflistWithoutRedirect();
        var plainJson = SamplePods.Plain("batch", "report", "node-a");
        var plain = lab.Start(plainJson, without);
        var json = Istio("details");

        var pod = lab.Start(json, without);

        lab.WaitCaptured(pod, json, "the pod that started without sluice-redirect was never captured");
        lab.WaitForEvent(pod, "Normal CaptureRepaired:", "named netns");
        Assert.False(ReconcilerCluster.HasAnyRules(plain), "the plain pod got rules");
        Assert.Empty(lab.Events(plain));
    }

    /// <summary>
    /// The pod is reported with its address before any namespace holds it (the agent finds none and
    /// says so), then a namespace gets it, with no further pod event: the agent keeps looking on its
    /// own, not only at the next full check (put off here to 600 s).
    /// </summary>
    [RootFact]
    public void MeshPodWhoseNamespaceIsNotFoundYet_IsLookedForAgain_AndCapturedWithoutAFullCheck()
    {
        using var lab = new ReconcilerCluster(("CAPTURE_CHECK_PERIOD", "600"));
        var json = Istio("late");
        lab.Api.PushPodEvent("ADDED", json);
        lab.Api.PushPodEvent("MODIFIED", ClusterKubelet.Running(json, System.Net.IPAddress.Parse("10.246.1.250")));
        lab.WaitForStatus(@"unknown +shop/late +no network namespace on this node holds its addresses 10\.246\.1\.250");

        using var late = TestNetns.Create("late");
        using (var ns = late.Open())
        using (var rtnl = Sluice.Linux.Rtnetlink.Rtnl.OpenIn(ns))
        {
            var lo = rtnl.GetLink("lo").Index;
            rtnl.SetUp(lo);
            rtnl.AddAddress(lo, System.Net.IPAddress.Parse("10.246.1.250"), 32);
        }

        lab.A.Wait(() => ReconcilerCluster.Problems(late, json).Count == 0, $"the pod was never captured: {string.Join("; ", ReconcilerCluster.Problems(late, json))}");
        lab.WaitForEvent("shop", "late", "Normal CaptureRepaired:", "named netns");
    }

    /// <summary>
    /// The pod's status with its addresses never reaches the agent (as when the API server becomes
    /// unreachable right after the pod was scheduled), so the agent knows it only as pending. The
    /// plugin's sandbox record tells the agent where its namespace is, at once: the rules are
    /// watched, and a flush is repaired without waiting for the full check (put off to 600 s).
    /// </summary>
    [RootFact]
    public void MeshPodWhoseAddressesNeverReachTheAgent_IsWatchedFromItsSandboxRecord()
    {
        using var lab = new ReconcilerCluster(("CAPTURE_CHECK_PERIOD", "600"));
        var json = Istio("quiet");
        var uid = (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["metadata"]!["uid"]!;
        lab.Api.PushPodEvent("ADDED", json);
        var pod = lab.A.AddPod("quiet", "shop", uid);
        Assert.Empty(ReconcilerCluster.Problems(pod, json));

        lab.WaitForStatus(@"captured +shop/quiet +its rules are in place \(sandbox record ctr-quiet\)");
        pod.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");

        lab.WaitCaptured(pod, json, "the flushed pod known only from its sandbox record was not repaired");
        lab.WaitForEvent(pod, "Normal CaptureRepaired:", "sandbox record ctr-quiet");
    }

    [RootFact]
    public void MeshPodsFlushedWhileTheAgentWasDown_AreRepairedWhenItStarts()
    {
        using var lab = new ReconcilerCluster(("KEEP_ON_EXIT", "true"));
        var json = Istio("productpage");
        var pod = lab.Start(json);
        lab.A.KillAgent();

        pod.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");
        lab.A.RestartAgent();

        lab.WaitCaptured(pod, json, "the restarted agent did not repair the pod");
    }

    [RootFact]
    public void AgentRestartedWhileTheApiServerIsUnreachable_RepairsFromThePodListItKept()
    {
        using var lab = new ReconcilerCluster(("KEEP_ON_EXIT", "true"));
        var json = Istio("productpage");
        var pod = lab.Start(json);
        var snapshot = Path.Combine(lab.A.RunDir, "capture-pods.json");
        lab.A.Wait(() => File.Exists(snapshot) && File.ReadAllText(snapshot).Contains("productpage", StringComparison.Ordinal), "the agent kept no pod list");
        lab.Api.Unreachable = true;
        lab.A.KillAgent();

        pod.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");
        lab.A.RestartAgent();

        lab.WaitCaptured(pod, json, "the agent restarted without the API server did not repair the pod");
    }

    [RootFact]
    public void PodEvents_ThatChangeNothingACheckActsOn_DoNotEnterTheNamespace_WhileRuleAndPolicyChangesAreStillActedOn()
    {
        using var lab = new ReconcilerCluster(("CAPTURE_CHECK_PERIOD", "600"), ("HEALTH_PORT", "9741"));
        var json = Istio("details");
        var pod = lab.Start(json);
        lab.WaitCaptured(pod, json, "the pod was not captured");
        var running = ClusterKubelet.Running(json, pod.V4, pod.V6);
        var checks = Settled(lab, "sluice_capture_checks_total");

        for (var tick = 1; tick <= 10; tick++)
        {
            lab.Api.PushPodEvent("MODIFIED", ClusterKubelet.Edit(running, p => p["metadata"]!["labels"]!["tick"] = tick.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Thread.Sleep(30);
        }

        // Events that arrive together are handled in one round: at least one round, all of them seen.
        lab.A.Wait(() => Metric(lab, "sluice_capture_events_unchanged_total") >= 1, "the agent did not take the label events as unchanged");
        Settled(lab, "sluice_capture_events_unchanged_total");
        Assert.Equal(checks, Metric(lab, "sluice_capture_checks_total"));

        // Still acted on: the rules flushed by hand, then a policy changed by annotation.
        pod.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");
        lab.WaitCaptured(pod, json, "the agent did not repair the flushed rules after the unchanged events");
        var excluded = ClusterKubelet.Edit(running, p => p["metadata"]!["annotations"]!["traffic.sidecar.istio.io/excludeOutboundPorts"] = "9999");
        Assert.NotEmpty(ReconcilerCluster.Problems(pod, excluded));
        lab.Api.PushPodEvent("MODIFIED", excluded);
        lab.WaitCaptured(pod, excluded, "the agent did not act on the changed policy");
    }

    [RootFact]
    public void PlainPods_AreNeverTouched_EvenAfterChecks()
    {
        using var lab = new ReconcilerCluster(("CAPTURE_CHECK_PERIOD", "1"));
        var json = SamplePods.Plain("batch", "report", "node-a");
        var pod = lab.Start(json);
        var mesh = lab.Start(Istio("reviews"));
        mesh.Ns.Exec("nft", "delete", "table", "inet", "sluice_capture");
        lab.WaitCaptured(mesh, Istio("reviews"), "the mesh pod beside it was not repaired");

        Thread.Sleep(2500);

        Assert.False(ReconcilerCluster.HasAnyRules(pod), "the plain pod got rules");
        Assert.Empty(lab.Events(pod));
    }

    /// <summary>
    /// The full check is put off (600 s), so the label can only go because the agent saw the rules
    /// change: sluice-iptables writes the nftables table first and the passthrough address after it,
    /// and only the table sends a notification, so the agent must look again once the install is done.
    /// </summary>
    [RootFact]
    public void LabelMode_LabelsAnUncapturedMeshPod_AndRemovesTheLabelOnceItIsCaptured()
    {
        using var lab = new ReconcilerCluster(("REPAIR_MODE", "label"), ("CAPTURE_CHECK_PERIOD", "600"));
        var json = Istio("details");
        var pod = lab.Start(json, lab.A.ConflistWithoutRedirect());

        lab.A.Wait(() => Label(lab, pod) == "true", "the uncaptured pod was not labelled sluice.io/uncaptured=true");
        Assert.True(ReconcilerCluster.Problems(pod, json).Count > 0, "label mode installed rules");
        lab.WaitForEvent(pod, "Warning UncapturedPodLabeled:");

        ProcessRunner.Check("ip", "netns", "exec", pod.Ns.Name, RepoPaths.Binary("sluice-iptables"), "--profile", "istio");
        lab.A.Wait(() => Label(lab, pod) is null, "the label stayed after the pod was captured");
    }

    [RootFact]
    public void DeleteMode_DeletesAnUncapturedMeshPodByItsUid_AndLeavesACapturedOne()
    {
        using var lab = new ReconcilerCluster(("REPAIR_MODE", "delete"));
        var capturedJson = Istio("reviews");
        var captured = lab.Start(capturedJson);
        var json = Istio("details");
        var uid = (string)System.Text.Json.Nodes.JsonNode.Parse(json)!["metadata"]!["uid"]!;

        var pod = lab.Start(json, lab.A.ConflistWithoutRedirect());

        lab.A.Wait(() => lab.Api.Deletions.Contains($"shop/details {uid}"), "the uncaptured pod was not deleted");
        lab.WaitForEvent(pod, "Warning UncapturedPodDeleted:");
        Assert.DoesNotContain(lab.Api.Deletions, d => d.StartsWith("shop/reviews", StringComparison.Ordinal));
        Assert.Empty(ReconcilerCluster.Problems(captured, capturedJson));
    }

    [RootFact]
    public void OffMode_OnlyReportsAnUncapturedMeshPod()
    {
        using var lab = new ReconcilerCluster(("REPAIR_MODE", "off"));
        var json = Istio("details");

        var pod = lab.Start(json, lab.A.ConflistWithoutRedirect());

        lab.WaitForEvent(pod, "Warning CaptureMissing:");
        Assert.False(ReconcilerCluster.HasAnyRules(pod), "off mode installed rules");
        var status = lab.WaitForStatus("missing +shop/details +no capture rules in its network namespace");
        Assert.True(status.ExitCode == 1, $"a pod without its capture is a problem for status:\n{status}");
        Assert.Empty(lab.Api.Deletions);
        Assert.Null(Label(lab, pod));
    }

    [RootFact]
    public void ValidationContainerThatExited126_IsHandledLikeAMissingCapture()
    {
        using var lab = new ReconcilerCluster(("REPAIR_MODE", "label"));
        var json = Istio("reviews");
        var pod = lab.Start(json);
        Assert.Empty(ReconcilerCluster.Problems(pod, json));

        lab.Api.PushPodEvent("MODIFIED", ClusterKubelet.Edit(ClusterKubelet.Running(json, pod.V4, pod.V6), p => p["status"]!["initContainerStatuses"] = System.Text.Json.Nodes.JsonNode.Parse(
            """[{"name":"istio-validation","state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"exitCode":126,"reason":"Error"}},"restartCount":2,"ready":false}]""")));

        lab.A.Wait(() => Label(lab, pod) == "true", "the pod whose validation failed was not labelled");
        lab.WaitForEvent(pod, "Warning UncapturedPodLabeled:", "its init container istio-validation exited 126");
    }

    private static long Metric(ReconcilerCluster lab, string name) =>
        long.Parse(lab.A.Get(9741, "/metrics").Split('\n').Single(l => l.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The metric once it has not moved for a second (the pod's own start events all handled).</summary>
    private static long Settled(ReconcilerCluster lab, string name)
    {
        var value = Metric(lab, name);
        for (var stable = 0; stable < 10; stable++)
        {
            Thread.Sleep(100);
            var now = Metric(lab, name);
            if (now != value)
            {
                (value, stable) = (now, -1);
            }
        }

        return value;
    }

    private static string? Label(ReconcilerCluster lab, ClusterPod pod) =>
        (string?)lab.Api.Pod(pod.KubeNamespace, pod.Name)?["metadata"]?["labels"]?["sluice.io/uncaptured"];
}
