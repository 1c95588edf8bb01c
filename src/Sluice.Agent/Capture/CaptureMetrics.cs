using System.Globalization;
using System.Text;

namespace Sluice.Agent.Capture;

/// <summary>
/// The capture reconciler's figures for /metrics: outcomes by mode, reason and result, pods by
/// state (after the last check of each), checks made, the last full pass's duration, and events
/// the API server did not take. Written by the reconciler, read by the metrics endpoint.
/// </summary>
public sealed class CaptureMetrics
{
    private static readonly (CaptureState State, string Name)[] StateNames =
    [
        (CaptureState.Captured, "captured"), (CaptureState.Missing, "missing"), (CaptureState.Pending, "pending"),
        (CaptureState.Unknown, "unknown"), (CaptureState.NotNeeded, "not_needed"),
    ];

    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Mode, string Reason, string Result), long> _repairs = [];
    private readonly Dictionary<CaptureState, int> _states = [];
    private long _checks;
    private long _unchanged;
    private long _eventsFailed;
    private double _lastPassSeconds;

    public static string StateName(CaptureState state) => StateNames.First(s => s.State == state).Name;

    public void CountRepair(RepairMode mode, string reason, string result)
    {
        lock (_lock)
        {
            var key = (mode.Name(), reason, result);
            _repairs[key] = _repairs.GetValueOrDefault(key) + 1;
        }
    }

    public long Repairs(RepairMode mode, string reason, string result)
    {
        lock (_lock)
        {
            return _repairs.GetValueOrDefault((mode.Name(), reason, result));
        }
    }

    public void SetStates(IEnumerable<CaptureState> states)
    {
        lock (_lock)
        {
            _states.Clear();
            foreach (var state in states)
            {
                _states[state] = _states.GetValueOrDefault(state) + 1;
            }
        }
    }

    public int Pods(CaptureState state)
    {
        lock (_lock)
        {
            return _states.GetValueOrDefault(state);
        }
    }

    public void CountCheck() => Interlocked.Increment(ref _checks);

    public void CountUnchanged() => Interlocked.Increment(ref _unchanged);

    public void CountEventFailed() => Interlocked.Increment(ref _eventsFailed);

    public void SetPassDuration(TimeSpan duration)
    {
        lock (_lock)
        {
            _lastPassSeconds = duration.TotalSeconds;
        }
    }

    public void Render(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            text.Append("# HELP sluice_capture_repairs_total What the capture reconciler did about mesh pods without their capture, by repair mode, reason (absent, different, validation-failed, invalid-policy) and result (success, failure, reported).\n# TYPE sluice_capture_repairs_total counter\n");
            foreach (var ((mode, reason, result), count) in _repairs)
            {
                text.Append(CultureInfo.InvariantCulture, $"sluice_capture_repairs_total{{mode=\"{mode}\",reason=\"{reason}\",result=\"{result}\"}} {count}\n");
            }

            text.Append("# HELP sluice_capture_pods This node's pods by capture state after their last check (missing and unknown want attention).\n# TYPE sluice_capture_pods gauge\n");
            foreach (var (state, name) in StateNames)
            {
                text.Append(CultureInfo.InvariantCulture, $"sluice_capture_pods{{state=\"{name}\"}} {_states.GetValueOrDefault(state)}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"# HELP sluice_capture_checks_total Pod capture checks made (inside pod network namespaces).\n# TYPE sluice_capture_checks_total counter\nsluice_capture_checks_total {Interlocked.Read(ref _checks)}\n");
            text.Append(CultureInfo.InvariantCulture, $"# HELP sluice_capture_events_unchanged_total Pod events of captured pods that changed nothing a check acts on (no look into the namespace).\n# TYPE sluice_capture_events_unchanged_total counter\nsluice_capture_events_unchanged_total {Interlocked.Read(ref _unchanged)}\n");
            text.Append(CultureInfo.InvariantCulture, $"# HELP sluice_capture_pass_duration_seconds How long the last check of every pod took.\n# TYPE sluice_capture_pass_duration_seconds gauge\nsluice_capture_pass_duration_seconds {_lastPassSeconds}\n");
            text.Append(CultureInfo.InvariantCulture, $"# HELP sluice_capture_events_failed_total Kubernetes Events about pods' capture that could not be recorded (API server unreachable or refusing, or too many queued).\n# TYPE sluice_capture_events_failed_total counter\nsluice_capture_events_failed_total {Interlocked.Read(ref _eventsFailed)}\n");
        }
    }
}
