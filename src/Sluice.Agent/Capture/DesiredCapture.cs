using Sluice.Capture.Policy;
using Sluice.Kube.Models;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>
/// Which of this node's pods must be captured, and with which policy: the plugin's own decision
/// (<see cref="CaptureDecider"/>, with the plugin's settings) for every pod that has a network
/// namespace of its own and is still running. Pure: a function of the pod and the settings.
/// </summary>
public static class DesiredCapture
{
    public static CaptureNeed For(Pod pod, RedirectSettings plugin, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(plugin);
        if (pod.Metadata.Namespace is not { Length: > 0 } ns || pod.Metadata.Name is not { Length: > 0 } name || pod.Metadata.Uid is not { Length: > 0 })
        {
            return CaptureNeed.NotNeeded("the pod has no namespace, name or UID");
        }

        if (pod.Spec.HostNetwork)
        {
            return CaptureNeed.NotNeeded("the pod uses the host's network");
        }

        if (pod.Spec.NodeName != nodeName)
        {
            return CaptureNeed.NotNeeded($"the pod runs on node {pod.Spec.NodeName ?? "(none yet)"}");
        }

        if (pod.Status.Phase is "Succeeded" or "Failed")
        {
            return CaptureNeed.NotNeeded($"the pod has {pod.Status.Phase.ToLowerInvariant()}");
        }

        try
        {
            var decision = CaptureDecider.Decide(plugin, PodFacts.From(pod, ns, name));
            return decision is { Capture: true, Policy: { } policy } ? CaptureNeed.With(policy, decision.Reason) : CaptureNeed.NotNeeded(decision.Reason);
        }
        catch (PolicyException error)
        {
            return CaptureNeed.Invalid(error.Message);
        }
    }
}
