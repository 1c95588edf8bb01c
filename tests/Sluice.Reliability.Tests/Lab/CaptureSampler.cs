using System.Diagnostics;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.TestSupport.Cluster;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// Looks at every running mesh pod every 200 ms and asks whether its capture is exactly the policy
/// the plugin decides for it (the capture engine's verify, in the pod's namespace). An uncaptured
/// stretch is counted from the earliest moment the pod may have run without its capture: when it
/// was started (a pod whose first sample finds it uncaptured), when the test flushed it, otherwise
/// the last sample that found it captured. Keeps the stretches longer than the bound, the time
/// from each stretch's start (and from each flush) to the first captured sample, and the sum of
/// uncaptured pod-seconds. A sample that cannot verify counts as uncaptured and is kept as an error.
/// </summary>
internal sealed class CaptureSampler : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Watched> _pods = new(StringComparer.Ordinal);
    private readonly List<TimeSpan> _repairs = [];
    private readonly List<TimeSpan> _flushRepairs = [];
    private readonly List<string> _overBound = [];
    private readonly List<string> _errors = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Thread _thread;
    private readonly TimeSpan _bound;
    private volatile bool _stopping;
    private double _uncapturedPodSeconds;
    private TimeSpan _longest;
    private int _samples;
    private int _startedUncaptured;

    public CaptureSampler(TimeSpan bound)
    {
        _bound = bound;
        _thread = new Thread(Loop) { IsBackground = true, Name = "capture sampler" };
        _thread.Start();
    }

    /// <summary>The sampler's clock, for <see cref="Flushed"/>.</summary>
    public TimeSpan Now => _clock.Elapsed;

    public double UncapturedPodSeconds { get { lock (_lock) { return _uncapturedPodSeconds; } } }

    public TimeSpan Longest { get { lock (_lock) { return _longest; } } }

    public int Samples { get { lock (_lock) { return _samples; } } }

    /// <summary>Mesh pods whose first sample found them uncaptured (they started without the plugin).</summary>
    public int StartedUncaptured { get { lock (_lock) { return _startedUncaptured; } } }

    /// <summary>Uncaptured stretches longer than the bound, with the pod and when.</summary>
    public IReadOnlyList<string> OverBound { get { lock (_lock) { return [.. _overBound]; } } }

    /// <summary>Samples that could not verify a pod's capture, with the pod and why.</summary>
    public IReadOnlyList<string> Errors { get { lock (_lock) { return [.. _errors]; } } }

    /// <summary>Each uncaptured stretch: its start to the first captured sample.</summary>
    public IReadOnlyList<TimeSpan> Repairs { get { lock (_lock) { return [.. _repairs]; } } }

    /// <summary>From a flush the test made to the first sample that saw the capture again.</summary>
    public IReadOnlyList<TimeSpan> FlushRepairs { get { lock (_lock) { return [.. _flushRepairs]; } } }

    /// <summary>Starts looking at a pod the runtime has just started (its ADD returned).</summary>
    public void Add(ClusterPod pod, CapturePolicy policy)
    {
        lock (_lock)
        {
            _pods[pod.Name] = new Watched(pod, policy, _clock.Elapsed);
        }
    }

    /// <summary>Stops looking at the pod (before it is deleted).</summary>
    public void Remove(ClusterPod pod)
    {
        lock (_lock)
        {
            _pods.Remove(pod.Name);
        }
    }

    /// <summary>The test flushed the pod's capture; <paramref name="at"/> is <see cref="Now"/> read just before.</summary>
    public void Flushed(ClusterPod pod, TimeSpan at)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Name, out var watched))
            {
                watched.FlushedAt = at;
            }
        }
    }

    /// <summary>Whether the pod was captured at its last sample (false before the first).</summary>
    public bool WasCaptured(string name)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(name, out var watched) && watched.Sampled && watched.UncapturedSince is null;
        }
    }

    /// <summary>Waits until the pod's last sample found it captured; false when <paramref name="timeout"/> passed first (or the pod is not watched).</summary>
    public bool WaitCaptured(string name, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!WasCaptured(name))
        {
            if (watch.Elapsed > timeout)
            {
                return false;
            }

            Thread.Sleep(20);
        }

        return true;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Loop()
    {
        while (!_stopping)
        {
            var started = _clock.Elapsed;
            lock (_lock)
            {
                _samples++;
                foreach (var watched in _pods.Values)
                {
                    Sample(watched);
                }
            }

            var rest = Interval - (_clock.Elapsed - started);
            if (rest > TimeSpan.Zero)
            {
                Thread.Sleep(rest);
            }
        }
    }

    private void Sample(Watched watched)
    {
        bool captured;
        try
        {
            using var engine = CaptureEngine.Open(watched.Pod.NetNs, CaptureBackendKind.Auto);
            captured = engine.Verify(watched.Policy).Count == 0;
        }
        catch (Exception error) when (error is Sluice.Linux.LinuxException or Sluice.Linux.Iptables.IptablesException)
        {
            _errors.Add($"{watched.Pod.Name} at t={_clock.Elapsed.TotalSeconds:0.0} s: {error.Message}");
            captured = false;
        }

        // Taken after the verify: the moment up to which this sample vouches for the pod.
        var now = _clock.Elapsed;
        if (captured)
        {
            if (watched.UncapturedSince is { } since)
            {
                _repairs.Add(now - since);
            }

            if (watched.FlushedAt is { } flushed)
            {
                _flushRepairs.Add(now - flushed);
                watched.FlushedAt = null;
            }

            watched.UncapturedSince = null;
            watched.CapturedAt = now;
        }
        else
        {
            if (watched.UncapturedSince is null)
            {
                _startedUncaptured += watched.Sampled ? 0 : 1;
                watched.UncapturedSince = StretchStart(watched);
            }

            var stretch = now - watched.UncapturedSince.Value;
            _uncapturedPodSeconds += (now - Max(watched.UncapturedSince.Value, watched.CountedTo)).TotalSeconds;
            watched.CountedTo = now;
            _longest = stretch > _longest ? stretch : _longest;
            if (stretch > _bound && !watched.ReportedOver)
            {
                watched.ReportedOver = true;
                _overBound.Add($"{watched.Pod.Name} uncaptured for more than {_bound.TotalSeconds:0.#} s from t={watched.UncapturedSince.Value.TotalSeconds:0.0} s");
            }
        }

        watched.Sampled = true;
    }

    /// <summary>The earliest the pod may have lost its capture: started, flushed, or just after its last captured sample.</summary>
    private static TimeSpan StretchStart(Watched watched) =>
        watched.CapturedAt is not { } captured ? watched.AddedAt
        : watched.FlushedAt is { } flushed && flushed > captured ? flushed
        : captured;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private sealed class Watched(ClusterPod pod, CapturePolicy policy, TimeSpan addedAt)
    {
        public ClusterPod Pod { get; } = pod;

        public CapturePolicy Policy { get; } = policy;

        public TimeSpan AddedAt { get; } = addedAt;

        public bool Sampled { get; set; }

        public TimeSpan? CapturedAt { get; set; }

        public TimeSpan? UncapturedSince { get; set; }

        public TimeSpan CountedTo { get; set; }

        public TimeSpan? FlushedAt { get; set; }

        public bool ReportedOver { get; set; }
    }
}
