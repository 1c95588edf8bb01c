using System.Net;
using Sluice.Kube.Models;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>
/// What the reconciler derives from one pod object: its capture need (the plugin's decision and
/// policy), its validation failure and its addresses. The pod cache hands out a new object for
/// every change it hears of (event, relist), so the same object means the same pod and the plan is
/// reused; a new object is planned afresh. Every check still reads the pod's rules from its
/// namespace and compares them with the policy.
/// </summary>
internal sealed class PodPlan
{
    private PodPlan(Pod pod, CaptureNeed need, (string Container, int Restarts)? validation, IReadOnlyList<IPAddress> addresses)
    {
        Pod = pod;
        Need = need;
        Validation = validation;
        Addresses = addresses;
        Labelled = UncapturedPodActions.IsLabelled(pod);
    }

    /// <summary>The object this plan was made from.</summary>
    public Pod Pod { get; }

    public CaptureNeed Need { get; }

    public (string Container, int Restarts)? Validation { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The pod carries the label that marks it uncaptured (label mode acts on it).</summary>
    public bool Labelled { get; }

    /// <summary>
    /// Everything a check acts on is the same as in <paramref name="other"/>: need and policy,
    /// validation, addresses and the uncaptured label. A pod event that changes only other
    /// fields (a label of the app's, an annotation nobody reads, the status' conditions) leaves the
    /// plan's outcome as it was.
    /// </summary>
    public bool SameOutcomeAs(PodPlan other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return ReferenceEquals(this, other) ||
            (Need == other.Need && Validation == other.Validation && Labelled == other.Labelled && Addresses.SequenceEqual(other.Addresses));
    }

    /// <summary><paramref name="earlier"/> when it was made from this very object, else a new plan.</summary>
    public static PodPlan For(PodPlan? earlier, Pod pod, RedirectSettings plugin, ReconcilerOptions options) =>
        earlier is not null && ReferenceEquals(earlier.Pod, pod)
            ? earlier
            : new PodPlan(pod, DesiredCapture.For(pod, plugin, options.NodeName), ValidationFailure.Of(pod, options.ValidationContainers), Netns.NetnsFinder.Addresses(pod));
}
