using System.Text.RegularExpressions;
using Sluice.Agent.Capture;
using Sluice.Capture;
using Sluice.Kube.Models;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;

namespace Sluice.Agent.Tests.Capture;

/// <summary>
/// The two-node cluster with both agents chaining sluice-redirect (istio profile) after the pod
/// network, for the capture reconciler's tests: pods started as kubelet starts them, and their
/// capture checked with the engine against the policy the plugin decides for them.
/// </summary>
internal sealed class ReconcilerCluster : IDisposable
{
    private static readonly Sluice.Redirect.RedirectSettings Plugin = CapturePods.Plugin("--profile", "istio");

    public ReconcilerCluster(params (string Key, string Value)[] settings)
    {
        Cluster = new TwoNodeCluster();
        Cluster.StartAgents([("CHAINED", "true"), ("PROFILE", "istio"), .. settings]);
    }

    public TwoNodeCluster Cluster { get; }

    public ClusterNode A => Cluster.A;

    public FakeKubeApi Api => Cluster.Api;

    public ClusterPod Start(string podJson, string? conflist = null) => ClusterKubelet.Start(A, Api, podJson, conflist);

    /// <summary>How the pod's rules differ from what the plugin decides for it (empty: captured exactly).</summary>
    public static IReadOnlyList<string> Problems(ClusterPod pod, string podJson) => Problems(pod.Ns, podJson);

    /// <summary>As <see cref="Problems(ClusterPod, string)"/>, for the pod's namespace <paramref name="netns"/>.</summary>
    public static IReadOnlyList<string> Problems(TestNetns netns, string podJson)
    {
        var policy = DesiredCapture.For(PodJson.Read(podJson), Plugin, "node-a").Policy ?? throw new InvalidOperationException("not a mesh pod");
        using var ns = netns.Open();
        using var engine = CaptureEngine.Open(ns, CaptureBackendKind.Auto);
        return engine.Verify(policy);
    }

    /// <summary>Whether the pod's namespace holds any nftables table or iptables rule at all.</summary>
    public static bool HasAnyRules(ClusterPod pod) =>
        pod.Ns.Exec("nft", "list", "ruleset").Trim().Length > 0;

    public void WaitCaptured(ClusterPod pod, string podJson, string what) =>
        A.Wait(() => Problems(pod, podJson).Count == 0, $"{what}: {string.Join("; ", Problems(pod, podJson))}");

    /// <summary>Events recorded about the pod, as "Type Reason: message".</summary>
    public IReadOnlyList<string> Events(ClusterPod pod) => Events(pod.KubeNamespace, pod.Name);

    /// <summary>As <see cref="Events(ClusterPod)"/>, for the pod <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public IReadOnlyList<string> Events(string ns, string name) =>
        Api.EventsFor(ns, name).Select(e => $"{(string?)e["type"]} {(string?)e["reason"]}: {(string?)e["message"]}").ToList();

    /// <summary>Waits for an event about the pod starting with <paramref name="start"/> ("Type Reason:") and holding <paramref name="text"/>.</summary>
    public void WaitForEvent(ClusterPod pod, string start, string text = "") => WaitForEvent(pod.KubeNamespace, pod.Name, start, text);

    /// <summary>As <see cref="WaitForEvent(ClusterPod, string, string)"/>, for the pod <paramref name="ns"/>/<paramref name="name"/>.</summary>
    public void WaitForEvent(string ns, string name, string start, string text = "") =>
        A.Wait(
            () => Events(ns, name).Any(e => e.StartsWith(start, StringComparison.Ordinal) && e.Contains(text, StringComparison.Ordinal)),
            $"no event '{start} …{text}…' about {name}: {string.Join(" | ", Events(ns, name))}");

    /// <summary>Waits until <c>sluice-agent status</c> on node A prints a line matching <paramref name="pattern"/>; returns that run.</summary>
    public ProcessResult WaitForStatus(string pattern)
    {
        ProcessResult? last = null;
        try
        {
            A.Wait(() => Regex.IsMatch((last = A.Status()).Stdout, pattern), $"sluice-agent status never showed '{pattern}'");
        }
        catch (ClusterException error)
        {
            throw new ClusterException($"{error.Message}\nthe last status:\n{last}");
        }

        return last!;
    }

    public void Dispose() => Cluster.Dispose();
}
