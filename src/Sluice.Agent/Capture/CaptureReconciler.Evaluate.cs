using System.Diagnostics;
using Sluice.Agent.Capture.Netns;
using Sluice.Capture.Policy;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

public sealed partial class CaptureReconciler
{
    /// <summary>One pod, start to end: desired capture, namespace, the rules there, and the mode's outcome when they are not right.</summary>
    private void Evaluate(string key)
    {
        _evaluated++;
        Pod? pod;
        lock (_lock)
        {
            _pods.TryGetValue(key, out pod);
        }

        if (pod is null || Track(key, pod) is not { } tracked)
        {
            Forget(key);
            return;
        }

        try
        {
            Evaluate(key, pod, tracked);
        }
        catch (Exception error) when (error is Sluice.Linux.LinuxException or Sluice.Linux.Iptables.IptablesException or PolicyException or IOException or UnauthorizedAccessException)
        {
            tracked.State = CaptureState.Unknown;
            tracked.Why = $"cannot check its capture: {error.Message}";
            Note(tracked, key, tracked.Why);
            tracked.SearchAgainLater(Environment.TickCount64, _options.Period);
        }
    }

    private void Evaluate(string key, Pod pod, TrackedPod tracked)
    {
        var earlier = tracked.Plan;
        var rulesChanged = _recheck.Remove(key);
        var plan = tracked.Plan = PodPlan.For(earlier, pod, _plugin, _options);
        if (StillCaptured(key, tracked, earlier, plan, rulesChanged))
        {
            _unchanged++;
            _metrics.CountUnchanged();
            return;
        }

        if (!ReferenceEquals(earlier?.Pod, pod))
        {
            SnapshotOutdated();
        }

        tracked.RetryAt = null;
        if (earlier is null || !earlier.Addresses.SequenceEqual(plan.Addresses))
        {
            tracked.AddressesSeenAt = Stopwatch.GetTimestamp();
            tracked.Misses = 0;
        }

        var need = plan.Need;
        tracked.Invalid = need.Kind == CaptureNeedKind.Invalid;
        if (need.Kind == CaptureNeedKind.NotNeeded)
        {
            tracked.State = CaptureState.NotNeeded;
            tracked.Why = need.Reason;
            _watch.Unwatch(key);
            return;
        }

        var validation = plan.Validation;
        var validationFailed = validation is { } failed && tracked.HandledValidation != failed.Restarts;
        if (need.Kind == CaptureNeedKind.Invalid)
        {
            Uncaptured(new Finding(key, pod, tracked, "invalid-policy", $"its capture settings are invalid: {need.Reason}", null, null, validation?.Restarts));
            return;
        }

        // A pod whose sandbox record went away is being torn down (or its sandbox recreated): it
        // is not searched for by address, nor is a terminating pod, so a namespace on its way out
        // is never "repaired".
        var search = !tracked.SawRecord && pod.Metadata.DeletionTimestamp is null && !FromSnapshot;
        var addresses = plan.Addresses;
        Inspection? inspection = null;
        NetnsCandidate? found = null;
        foreach (var candidate in _finder.Find(pod, addresses, search, tracked.AddressesSeenAt))
        {
            _metrics.CountCheck();
            var result = _inspector.Inspect(candidate.Path, addresses, need.Policy!);
            if (result.Result != InspectionResult.NotThePods)
            {
                (inspection, found) = (result, candidate);
                break;
            }

            Note(tracked, key, $"{candidate.Source}: {result.Why}");
            if (!candidate.FromRecord)
            {
                _finder.Forget(tracked.Uid);
            }
        }

        if (inspection is null || found is null)
        {
            tracked.State = addresses.Count == 0 || !search ? CaptureState.Pending : CaptureState.Unknown;
            tracked.Why = tracked.State == CaptureState.Pending
                ? "no network namespace yet (no sandbox record, no addresses)"
                : $"no network namespace on this node holds its addresses {string.Join(", ", addresses)}";
            if (tracked.State == CaptureState.Unknown)
            {
                Note(tracked, key, tracked.Why);
                tracked.SearchAgainLater(Environment.TickCount64, _options.Period);
            }

            _watch.Unwatch(key);
            return;
        }

        tracked.Misses = 0;
        tracked.SawRecord |= found.FromRecord;
        tracked.Note = null;
        WatchRules(key, found.Path);
        if (inspection.Result == InspectionResult.InPlace && !validationFailed)
        {
            tracked.Why = $"its rules are in place ({found.Source})";
            Captured(key, pod, tracked, validationFailing: validation is not null);
            return;
        }

        var (reason, detail) = validationFailed
            ? ("validation-failed", $"its init container {validation!.Value.Container} exited {ValidationFailure.ExitCode}")
            : inspection.Result == InspectionResult.Absent
                ? ("absent", $"no capture rules in its network namespace ({found.Source})")
                : ("different", $"its rules differ from its policy ({found.Source}): {string.Join("; ", inspection.Problems)}");
        Uncaptured(new Finding(key, pod, tracked, reason, detail, found.Path, need.Policy, validation?.Restarts, addresses));
        if (tracked.State == CaptureState.Missing && tracked.RetryAt is null && !tracked.ActionInFlight)
        {
            // Caught in the middle of someone's install, perhaps (sluice-iptables, a repair by hand):
            // the rest of it sends no notification, so look again when it is likely done.
            tracked.SettleLater(Environment.TickCount64, rulesChanged);
        }
    }

    /// <summary>
    /// A pod event that cannot change the outcome of a captured pod needs no look into its
    /// namespace: its plan acts on the same need, policy, validation, addresses and label as the
    /// check that found its rules in place, and those rules are watched (any change to them marks
    /// the pod for a full check, <see cref="RulesChanged"/>). So such an event costs neither a
    /// namespace entry nor a rule dump. Full passes, rule changes and pending retries always check.
    /// </summary>
    private bool StillCaptured(string key, TrackedPod tracked, PodPlan? earlier, PodPlan plan, bool rulesChanged) =>
        !_checkingAll && !rulesChanged && tracked.State == CaptureState.Captured && tracked.RetryAt is null &&
        earlier is not null && plan.SameOutcomeAs(earlier) && _watch.IsWatching(key);

    /// <summary>Whether the pods known come from the snapshot (the API server has not listed them yet).</summary>
    private bool FromSnapshot
    {
        get
        {
            lock (_lock)
            {
                return _fromSnapshot;
            }
        }
    }

    /// <summary>The pod's memory, started afresh when the name now belongs to another pod (a new UID).</summary>
    private TrackedPod? Track(string key, Pod pod)
    {
        if (pod.Metadata.Uid is not { Length: > 0 } uid)
        {
            return null;
        }

        if (_tracked.TryGetValue(key, out var tracked) && tracked.Uid == uid)
        {
            return tracked;
        }

        if (tracked is not null)
        {
            _watch.Unwatch(key);
            _finder.Forget(tracked.Uid);
        }

        return _tracked[key] = new TrackedPod(uid);
    }

    private void Forget(string key)
    {
        // A deleted pod's namespace going away is itself a rule change (the watch reports it):
        // that mark goes with the pod, or the keys of deleted pods would pile up.
        _recheck.Remove(key);
        if (_tracked.Remove(key, out var tracked))
        {
            _finder.Forget(tracked.Uid);
        }

        _watch.Unwatch(key);
    }

    private void WatchRules(string key, string path)
    {
        try
        {
            _watch.Watch(key, path);
        }
        catch (Sluice.Linux.LinuxException error)
        {
            // Without notifications the periodic check still finds a change.
            _log.Debug($"pod {key}: rule changes are not watched: {error.Message}");
        }
    }

    /// <summary>Logs a note about a pod's namespace once, until it changes.</summary>
    private void Note(TrackedPod tracked, string key, string note)
    {
        if (tracked.Note != note)
        {
            tracked.Note = note;
            _log.Warn($"pod {key}: {note}");
        }
    }
}
