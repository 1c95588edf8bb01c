using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

public sealed partial class CaptureReconciler
{
    private const string Success = "success";
    private const string Failure = "failure";
    private const string Reported = "reported";

    /// <param name="validationFailing">The pod's validation container still reports 126 (already acted on): its label stays until it passes.</param>
    private void Captured(string key, Pod pod, TrackedPod tracked, bool validationFailing)
    {
        if (tracked.State == CaptureState.Missing && _options.Mode != RepairMode.Repair)
        {
            _log.Info($"pod {key}: its capture is in place again");
        }

        tracked.State = CaptureState.Captured;
        tracked.Reported = null;
        // A label put on less than a second ago is taken off once the second has passed (looked at again then).
        if (_options.Mode == RepairMode.Label && UncapturedPodActions.IsLabelled(pod) && !validationFailing && _actions is not null && tracked.MayActOrRetry(Environment.TickCount64))
        {
            Act(tracked, async stop => { await _actions.UnlabelAsync(pod, stop).ConfigureAwait(false); return true; }, done =>
            {
                _log.Info($"pod {key}: capture in place; removed the label {UncapturedPodActions.UncapturedLabel}");
                _events?.Record(pod, "CaptureInPlace", $"{AgentProgram.Name} found the pod's capture in place and removed the label {UncapturedPodActions.UncapturedLabel}", warning: false);
            }, failed => _log.Warn($"pod {key}: removing the label {UncapturedPodActions.UncapturedLabel}: {failed.Message}"));
        }
    }

    private void Uncaptured(Finding finding)
    {
        finding.Tracked.State = CaptureState.Missing;
        finding.Tracked.Why = finding.Detail;
        switch (_options.Mode)
        {
            case RepairMode.Repair:
                Repair(finding);
                break;
            case RepairMode.Label:
                Label(finding);
                break;
            case RepairMode.Delete:
                Delete(finding);
                break;
            default:
                ReportOnce(finding, "CaptureMissing", $"runs without its capture ({finding.Detail}); repair mode is off");
                break;
        }
    }

    /// <summary>Installs the policy in place (one atomic batch), at most once a second per pod, backing off while it keeps failing.</summary>
    private void Repair(Finding finding)
    {
        var (key, pod, tracked) = (finding.Key, finding.Pod, finding.Tracked);
        if (finding.Policy is null || finding.Netns is null)
        {
            ReportOnce(finding, "CaptureRepairFailed", $"runs without its capture and cannot be repaired: {finding.Detail}", Failure);
            return;
        }

        var now = Environment.TickCount64;
        if (!tracked.MayActOrRetry(now))
        {
            return;
        }

        try
        {
            var (outcome, refused) = _inspector.Repair(finding.Netns, finding.Addresses ?? [], finding.Policy);
            if (refused is not null)
            {
                tracked.State = CaptureState.Unknown;
                tracked.Why = refused.Why ?? "its namespace could not be confirmed";
                Note(tracked, key, tracked.Why);
                _finder.Forget(tracked.Uid);
                tracked.SearchAgainLater(now, _options.Period);
                return;
            }

            tracked.Succeeded(now);
            tracked.State = CaptureState.Captured;
            tracked.Why = $"its rules were put back ({finding.Netns})";
            tracked.Repairs++;
            tracked.LastRepair = (DateTimeOffset.UtcNow, finding.Detail);
            tracked.HandledValidation = finding.ValidationRestarts ?? tracked.HandledValidation;
            _metrics.CountRepair(RepairMode.Repair, finding.Reason, Success);
            var text = $"capture repaired with {outcome!.Backend}: {finding.Detail}";
            _log.Info($"pod {key}: {text}");
            _events?.Record(pod, "CaptureRepaired", $"{AgentProgram.Name} {text}", warning: false);
        }
        catch (Exception error) when (error is Sluice.Linux.LinuxException or Sluice.Linux.Iptables.IptablesException or Sluice.Capture.Policy.PolicyException or IOException)
        {
            tracked.Failed(now);
            _metrics.CountRepair(RepairMode.Repair, finding.Reason, Failure);
            var text = $"repairing its capture failed ({finding.Detail}): {error.Message}; next attempt in {(tracked.NextAttempt - now) / 1000.0:0.#} s";
            _log.Warn($"pod {key}: {text}");
            if ((tracked.Failures & (tracked.Failures - 1)) == 0)
            {
                // Events at the 1st, 2nd, 4th, 8th … failure: enough to see it, not a flood.
                _events?.Record(pod, "CaptureRepairFailed", $"{AgentProgram.Name}: {text}", warning: true);
            }
        }
    }

    /// <summary>Labels the pod sluice.io/uncaptured=true (once: a labelled pod is left as it is).</summary>
    private void Label(Finding finding)
    {
        var (key, pod, tracked) = (finding.Key, finding.Pod, finding.Tracked);
        if (UncapturedPodActions.IsLabelled(pod) || _actions is null || !tracked.MayActOrRetry(Environment.TickCount64))
        {
            return;
        }

        _log.Warn($"pod {key}: runs without its capture ({finding.Detail}); labelling it {UncapturedPodActions.UncapturedLabel}=true");
        Act(tracked, async stop => { await _actions.LabelAsync(pod, stop).ConfigureAwait(false); return true; }, _ =>
        {
            tracked.HandledValidation = finding.ValidationRestarts ?? tracked.HandledValidation;
            _metrics.CountRepair(RepairMode.Label, finding.Reason, Success);
            _events?.Record(pod, "UncapturedPodLabeled", $"{AgentProgram.Name}: the pod runs without its capture ({finding.Detail}); labelled {UncapturedPodActions.UncapturedLabel}=true", warning: true);
        }, error => ActionFailed(finding, RepairMode.Label, "labelling it", error));
    }

    /// <summary>Deletes the pod (by UID) so its controller recreates it through the plugin; a terminating pod is left alone.</summary>
    private void Delete(Finding finding)
    {
        var (key, pod, tracked) = (finding.Key, finding.Pod, finding.Tracked);
        if (pod.Metadata.DeletionTimestamp is not null || _actions is null || !tracked.MayActOrRetry(Environment.TickCount64))
        {
            return;
        }

        _log.Warn($"pod {key}: runs without its capture ({finding.Detail}); deleting it so its controller recreates it");
        Act(tracked, stop => _actions.DeleteAsync(pod, stop), deleted =>
        {
            if (!deleted)
            {
                _log.Info($"pod {key}: already gone or replaced");
                return;
            }

            tracked.HandledValidation = finding.ValidationRestarts ?? tracked.HandledValidation;
            _metrics.CountRepair(RepairMode.Delete, finding.Reason, Success);
            _events?.Record(pod, "UncapturedPodDeleted", $"{AgentProgram.Name}: the pod ran without its capture ({finding.Detail}); deleted so that its controller recreates it", warning: true);
        }, error => ActionFailed(finding, RepairMode.Delete, "deleting it", error));
    }

    /// <summary>Logs, counts and records an event once per episode without capture (off mode, and what no mode can repair).</summary>
    private void ReportOnce(Finding finding, string eventReason, string text, string result = Reported)
    {
        if (finding.Tracked.Reported == finding.Reason)
        {
            return;
        }

        finding.Tracked.Reported = finding.Reason;
        finding.Tracked.HandledValidation = finding.ValidationRestarts ?? finding.Tracked.HandledValidation;
        _metrics.CountRepair(_options.Mode, finding.Reason, result);
        _log.Warn($"pod {finding.Key}: {text}");
        _events?.Record(finding.Pod, eventReason, $"{AgentProgram.Name}: the pod {text}", warning: true);
    }

    private void ActionFailed(Finding finding, RepairMode mode, string what, KubeApiException error)
    {
        finding.Tracked.Failed(Environment.TickCount64);
        _metrics.CountRepair(mode, finding.Reason, Failure);
        _log.Warn($"pod {finding.Key}: {what} failed: {error.Message}; next attempt in {(finding.Tracked.NextAttempt - Environment.TickCount64) / 1000.0:0.#} s");
    }

    /// <summary>Starts an API write on a task; its outcome is handled back on the reconciler's thread.</summary>
    private void Act<T>(TrackedPod tracked, Func<CancellationToken, Task<T>> write, Action<T> succeeded, Action<KubeApiException> failed)
    {
        tracked.ActionInFlight = true;
        _ = Task.Run(async () =>
        {
            Action done;
            try
            {
                var result = await write(_stop.Token).ConfigureAwait(false);
                done = () =>
                {
                    tracked.ActionInFlight = false;
                    tracked.Succeeded(Environment.TickCount64);
                    succeeded(result);
                };
            }
            catch (KubeApiException error)
            {
                done = () =>
                {
                    tracked.ActionInFlight = false;
                    failed(error);
                };
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _completions.Enqueue(done);
            _wake.Set();
        });
    }
}
