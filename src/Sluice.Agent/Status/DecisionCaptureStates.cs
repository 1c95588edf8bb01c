using Sluice.Agent.Pods;
using Sluice.Capture.Policy;
using Sluice.Redirect;

namespace Sluice.Agent.Status;

/// <summary>
/// The capture state as today's agent knows it: sluice-redirect's own decision
/// (<see cref="CaptureDecider"/>) for each pod of the pod cache, under the entry the agent
/// installs. It says whether a pod needs capture, not whether its rules are in place.
/// </summary>
public sealed class DecisionCaptureStates(PodCache cache, RedirectSettings settings) : ICaptureStateSource
{
    public bool Synced => cache.Synced;

    public IReadOnlyList<PodCapture> Pods() => cache.Snapshot()
        .Select(pod => Decide(PodFacts.From(pod, pod.Metadata.Namespace ?? "", pod.Metadata.Name ?? "")))
        .OrderBy(p => p.Namespace, StringComparer.Ordinal)
        .ThenBy(p => p.Name, StringComparer.Ordinal)
        .ToList();

    private PodCapture Decide(PodFacts pod)
    {
        var capture = new PodCapture { Namespace = pod.Namespace, Name = pod.Name };
        try
        {
            var decision = CaptureDecider.Decide(settings, pod);
            capture.State = decision.Capture ? CaptureState.NeedsCapture : CaptureState.NotNeeded;
            capture.Reason = decision.Reason;
        }
        catch (PolicyException error)
        {
            capture.State = CaptureState.Invalid;
            capture.Reason = error.Message;
        }

        return capture;
    }
}
