using System.Collections.Concurrent;
using System.Diagnostics;
using Sluice.Agent.Capture.Netns;
using Sluice.Agent.Pods;
using Sluice.Kube.Models;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>
/// Keeps every mesh pod on this node captured. It knows the node's pods from the pod cache's
/// list and watch, decides for each as sluice-redirect does (<see cref="DesiredCapture"/>), finds
/// its namespace (<see cref="NetnsFinder"/>) and checks the rules there (<see cref="CaptureInspector"/>):
/// all of them when the first list arrives and then every period, one pod on each of its changes,
/// and a watched pod the moment its rules change (<see cref="RuleChangeWatch"/>). What it finds
/// missing or different it handles per <see cref="RepairMode"/> (partial file Outcomes). All
/// namespace work happens on the reconciler's own thread; API writes go out on tasks whose
/// outcome comes back to that thread.
/// </summary>
public sealed partial class CaptureReconciler : IPodEvents, IDisposable
{
    private readonly ReconcilerOptions _options;
    private readonly RedirectSettings _plugin;
    private readonly NetnsFinder _finder;
    private readonly CaptureInspector _inspector;
    private readonly RuleChangeWatch _watch;
    private readonly SandboxRecordWatch? _recordWatch;
    private readonly PodEventRecorder? _events;
    private readonly PodSnapshot? _snapshot;
    private readonly UncapturedPodActions? _actions;
    private readonly CaptureMetrics _metrics;
    private readonly AgentLog _log;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);

    /// <summary>Pods whose namespace's rules changed (the rule watch said so): checked in full, whatever their pod object says.</summary>
    private readonly HashSet<string> _rulesChanged = new(StringComparer.Ordinal);

    /// <summary>sluice-redirect wrote or removed a sandbox record: the pods without a namespace yet are looked for again.</summary>
    private bool _recordsChanged;
    private readonly ConcurrentQueue<Action> _completions = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private bool _listed;
    private bool _fullPassDue;
    private bool _fromSnapshot;
    private bool _changedSinceSave;

    // The reconciler's thread only.
    private readonly Dictionary<string, TrackedPod> _tracked = new(StringComparer.Ordinal);
    // Not before the first list: Fill asks for that pass. Due at once, the loop would spin until then.
    private long _nextFullPass = long.MaxValue;
    private readonly HashSet<string> _recheck = new(StringComparer.Ordinal);
    private bool _checkingAll;
    private int _evaluated;
    private int _unchanged;
    private long _savedAt;

    // Written by the reconciler's thread, read by any.
    private volatile IReadOnlyList<CheckedPod>? _checked;

    public CaptureReconciler(
        ReconcilerOptions options, RedirectSettings plugin, NetnsFinder finder, CaptureInspector inspector,
        PodEventRecorder? events, UncapturedPodActions? actions, CaptureMetrics metrics, AgentLog log, PodSnapshot? snapshot = null)
    {
        _snapshot = snapshot;
        _options = options;
        _plugin = plugin;
        _finder = finder;
        _inspector = inspector;
        _events = events;
        _actions = actions;
        _metrics = metrics;
        _log = log;
        _watch = new RuleChangeWatch(RulesChanged);
        _recordWatch = finder.RecordsDirectory is { } records
            ? new SandboxRecordWatch(records, RecordsChanged, why => _log.Warn($"sandbox records in {records} are no longer watched ({why}): a pod known without its addresses is found at the full check"))
            : null;
        _thread = new Thread(Loop) { IsBackground = true, Name = "capture reconciler" };
    }

    /// <summary>Pod namespaces watched for rule changes now.</summary>
    public int Watched => _watch.Count;

    /// <summary>
    /// This node's pods as the last round found them, ordered by namespace and name; null until
    /// the reconciler has checked the pods the API server listed (not those of a snapshot).
    /// </summary>
    public IReadOnlyList<CheckedPod>? Checked => _checked;

    /// <summary>Starts checking; until the API server's first list arrives, with the pods of the last snapshot (if any).</summary>
    public void Start()
    {
        if (_snapshot?.Load() is { Count: > 0 } known)
        {
            lock (_lock)
            {
                if (!_listed)
                {
                    Fill(known);
                    _fromSnapshot = true;
                    _log.Info($"checking the {known.Count} pods of {_snapshot.Path} until the API server lists this node's pods");
                }
            }
        }

        _thread.Start();
    }

    public void Listed(IReadOnlyList<Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        lock (_lock)
        {
            Fill(pods);
            _fromSnapshot = false;
        }

        _wake.Set();
    }

    public void Changed(Pod pod) => Update(pod, removed: false);

    public void Removed(Pod pod) => Update(pod, removed: true);

    public void Dispose()
    {
        _stop.Cancel();
        _wake.Set();
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        _watch.Dispose();
        _recordWatch?.Dispose();
        _events?.Dispose();
    }

    private static string Key(Pod pod) => $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";

    /// <summary>Replaces the known pods (under the lock) and asks for a full pass.</summary>
    private void Fill(IReadOnlyList<Pod> pods)
    {
        _pods.Clear();
        foreach (var pod in pods)
        {
            _pods[Key(pod)] = pod;
        }

        _listed = true;
        _fullPassDue = true;
        _changedSinceSave = true;
    }

    private void Update(Pod pod, bool removed)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = Key(pod);
        lock (_lock)
        {
            if (removed)
            {
                _pods.Remove(key);
            }
            else
            {
                _pods[key] = pod;
            }

            // A changed pod is saved once its check found the change can matter (Evaluate); an
            // event that changes nothing a check acts on leaves the saved copy as good as the new one.
            _changedSinceSave |= removed;
        }

        MarkDirty(key);
    }

    private void RecordsChanged()
    {
        lock (_lock)
        {
            _recordsChanged = true;
        }

        _wake.Set();
    }

    private void RulesChanged(string key)
    {
        lock (_lock)
        {
            _rulesChanged.Add(key);
        }

        MarkDirty(key);
    }

    /// <summary>The pod list to keep for a restart without the API server changed in a way that matters.</summary>
    private void SnapshotOutdated()
    {
        lock (_lock)
        {
            _changedSinceSave = true;
        }
    }

    private void MarkDirty(string key)
    {
        lock (_lock)
        {
            _dirty.Add(key);
        }

        _wake.Set();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            _wake.WaitOne(TimeSpan.FromMilliseconds(Math.Clamp(NextDue() - Environment.TickCount64, 0, 1000)));
            _evaluated = _unchanged = 0;
            var completed = false;
            while (_completions.TryDequeue(out var completion))
            {
                completion();
                completed = true;
            }

            List<string> dirty;
            bool full;
            lock (_lock)
            {
                if (!_listed || _stop.IsCancellationRequested)
                {
                    continue;
                }

                full = _fullPassDue || Environment.TickCount64 >= _nextFullPass;
                _fullPassDue = false;
                dirty = [.. _dirty];
                _dirty.Clear();
                if (_recordsChanged)
                {
                    _recordsChanged = false;
                    dirty.AddRange(_tracked.Where(t => t.Value.State is CaptureState.Pending or CaptureState.Unknown).Select(t => t.Key));
                }
                _recheck.UnionWith(_rulesChanged);
                _rulesChanged.Clear();
            }

            try
            {
                if (full)
                {
                    FullPass();
                }
                else
                {
                    var now = Environment.TickCount64;
                    foreach (var key in dirty.Union(_tracked.Where(t => t.Value.RetryAt <= now).Select(t => t.Key)).ToList())
                    {
                        Evaluate(key);
                    }
                }
            }
            catch (Exception error)
            {
                // This thread is the guarantee: a failure it did not expect ends one round, not the reconciler.
                _log.Error($"capture reconciler: {error.GetType().Name}: {error.Message}");
            }

            // A round whose every pod was unchanged (pod events that change nothing a check acts
            // on) leaves states and status as they were: nothing to count or publish again.
            if (full || completed || _evaluated > _unchanged)
            {
                _metrics.SetStates(_tracked.Values.Select(t => t.State));
                Publish();
            }

            SaveSnapshot();
        }
    }

    /// <summary>Publishes what this round found (<see cref="Checked"/>) once the pods are the API server's.</summary>
    private void Publish()
    {
        if (FromSnapshot)
        {
            return;
        }

        _checked = _tracked
            .Select(t => CheckedPod.Of(t.Key, t.Value))
            .OrderBy(p => p.Namespace, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The pods as the API server lists them, at most every 2 s, for a restart without the API server.</summary>
    private void SaveSnapshot()
    {
        List<Pod> pods;
        lock (_lock)
        {
            if (_snapshot is null || _fromSnapshot || !_changedSinceSave || Environment.TickCount64 - _savedAt < 2000)
            {
                return;
            }

            _changedSinceSave = false;
            pods = [.. _pods.Values];
        }

        _savedAt = Environment.TickCount64;
        _snapshot.Save(pods);
    }

    /// <summary>When the next full pass or retry is due (Environment.TickCount64).</summary>
    private long NextDue()
    {
        var due = _nextFullPass;
        foreach (var tracked in _tracked.Values)
        {
            if (tracked.RetryAt is { } retry && retry < due)
            {
                due = retry;
            }
        }

        return due;
    }

    private void FullPass()
    {
        var clock = Stopwatch.StartNew();
        _finder.Tidy();
        List<string> keys;
        lock (_lock)
        {
            keys = [.. _pods.Keys];
        }

        _checkingAll = true;
        try
        {
            foreach (var key in keys.Union(_tracked.Keys).ToList())
            {
                Evaluate(key);
            }
        }
        finally
        {
            // Also after a failure the loop did not expect: the next pass waits its period.
            _checkingAll = false;
            _nextFullPass = Environment.TickCount64 + (long)_options.Period.TotalMilliseconds;
        }

        _metrics.SetPassDuration(clock.Elapsed);
        _log.Debug($"capture check of {keys.Count} pods in {clock.Elapsed.TotalMilliseconds:0.0} ms; {_watch.Count} watched for rule changes");
    }
}
