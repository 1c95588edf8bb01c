using System.Globalization;
using Sluice.Agent.Capture;

namespace Sluice.Agent.Status;

/// <summary>
/// The capture state as the capture reconciler found it in each pod's network namespace: whether
/// the rules are really there, and the repairs the agent made, not only the decision.
/// </summary>
/// <param name="checkedPods">The reconciler's last findings (<see cref="CaptureReconciler.Checked"/>).</param>
public sealed class ReconciledCaptureStates(Func<IReadOnlyList<CheckedPod>?> checkedPods, TimeProvider clock) : ICaptureStateSource
{
    public bool Synced => checkedPods() is not null;

    public IReadOnlyList<PodCapture> Pods() => [.. (checkedPods() ?? []).Select(Describe)];

    private PodCapture Describe(CheckedPod pod) => new()
    {
        Namespace = pod.Namespace,
        Name = pod.Name,
        State = StateOf(pod),
        Reason = pod is { State: Capture.CaptureState.Captured, LastRepair: { } last }
            ? string.Create(CultureInfo.InvariantCulture, $"{RepairCount(pod.Repairs)}, the last {Ago(last.At)} ago: {last.Found}")
            : pod.Why,
    };

    private static CaptureState StateOf(CheckedPod pod) => pod.State switch
    {
        Capture.CaptureState.Captured => pod.Repairs > 0 ? CaptureState.Repaired : CaptureState.Captured,
        Capture.CaptureState.Missing => pod.Invalid ? CaptureState.Invalid : CaptureState.Missing,
        Capture.CaptureState.Pending => CaptureState.Pending,
        Capture.CaptureState.NotNeeded => CaptureState.NotNeeded,
        _ => CaptureState.Unknown,
    };

    private static string RepairCount(int repairs) =>
        repairs == 1 ? "rules put back once" : string.Create(CultureInfo.InvariantCulture, $"rules put back {repairs} times");

    private string Ago(DateTimeOffset at)
    {
        var elapsed = clock.GetUtcNow() - at;
        return elapsed < TimeSpan.FromMinutes(2) ? $"{Math.Max(0, elapsed.TotalSeconds):0} s"
            : elapsed < TimeSpan.FromHours(2) ? $"{elapsed.TotalMinutes:0} min"
            : $"{elapsed.TotalHours:0} h";
    }
}
