using System.Diagnostics;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.TestSupport.Cluster;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// Looks at every running mesh pod every 200 ms and asks whether its capture is exactly the policy
/// the plugin decides for it (the capture engine's verify, in the pod's namespace). Keeps, per
/// pod, how long it has been uncaptured at each sample, the time from each uncaptured stretch's
/// first sample (or from a flush the test made) to the first captured sample, and the sum of
/// uncaptured pod-seconds.
/// </summary>
internal sealed class CaptureSampler : IDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Watched> _pods = new(StringComparer.Ordinal);
    private readonly List<TimeSpan> _repairs = [];
    private readonly List<TimeSpan> _flushRepairs = [];
    private readonly List<string> _overBound = [];
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

    public double UncapturedPodSeconds { get { lock (_lock) { return _uncapturedPodSeconds; } } }

    public TimeSpan Longest { get { lock (_lock) { return _longest; } } }

    public int Samples { get { lock (_lock) { return _samples; } } }

    /// <summary>Mesh pods whose first sample found them uncaptured (they started without the plugin).</summary>
    public int StartedUncaptured { get { lock (_lock) { return _startedUncaptured; } } }

    /// <summary>Uncaptured stretches longer than the bound, with the pod and when.</summary>
    public IReadOnlyList<string> OverBound { get { lock (_lock) { return [.. _overBound]; } } }

    /// <summary>Each uncaptured stretch: first uncaptured sample to first captured one.</summary>
    public IReadOnlyList<TimeSpan> Repairs { get { lock (_lock) { return [.. _repairs]; } } }

    /// <summary>From a flush the test made to the first sample that saw the capture again.</summary>
    public IReadOnlyList<TimeSpan> FlushRepairs { get { lock (_lock) { return [.. _flushRepairs]; } } }

    public void Add(ClusterPod pod, CapturePolicy policy)
    {
        lock (_lock)
        {
            _pods[pod.Name] = new Watched(pod, policy);
        }
    }

    /// <summary>Stops looking at the pod (before it is deleted): an open stretch counts as repaired never, and is reported if over the bound already.</summary>
    public void Remove(ClusterPod pod)
    {
        lock (_lock)
        {
            _pods.Remove(pod.Name);
        }
    }

    public void Flushed(ClusterPod pod)
    {
        lock (_lock)
        {
            if (_pods.TryGetValue(pod.Name, out var watched))
            {
                watched.FlushedAt = _clock.Elapsed;
            }
        }
    }

    /// <summary>Whether a flush of the pod has not been seen repaired yet.</summary>
    public bool FlushPending(string name)
    {
        lock (_lock)
        {
            return _pods.TryGetValue(name, out var watched) && watched.FlushedAt is not null;
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

    /// <summary>Pods uncaptured at their last sample.</summary>
    public IReadOnlyList<string> Uncaptured()
    {
        lock (_lock)
        {
            return _pods.Values.Where(w => !w.Sampled || w.UncapturedSince is not null).Select(w => w.Pod.Name).ToList();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Loop()
    {
        var last = _clock.Elapsed;
        while (!_stopping)
        {
            var started = _clock.Elapsed;
            lock (_lock)
            {
                _samples++;
                var step = (started - last).TotalSeconds;
                last = started;
                foreach (var watched in _pods.Values)
                {
                    Sample(watched, started, step);
                }
            }

            var rest = Interval - (_clock.Elapsed - started);
            if (rest > TimeSpan.Zero)
            {
                Thread.Sleep(rest);
            }
        }
    }

    private void Sample(Watched watched, TimeSpan now, double step)
    {
        bool captured;
        try
        {
            using var engine = CaptureEngine.Open(watched.Pod.NetNs, CaptureBackendKind.Auto);
            captured = engine.Verify(watched.Policy).Count == 0;
        }
        catch (Exception error) when (error is Sluice.Linux.LinuxException or Sluice.Linux.Iptables.IptablesException)
        {
            return;
        }

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
        }
        else
        {
            if (watched.Sampled)
            {
                _uncapturedPodSeconds += step;
            }

            if (!watched.Sampled)
            {
                _startedUncaptured++;
            }

            watched.UncapturedSince ??= now;
            var stretch = now - watched.UncapturedSince.Value;
            _longest = stretch > _longest ? stretch : _longest;
            if (stretch > _bound && !watched.ReportedOver)
            {
                watched.ReportedOver = true;
                _overBound.Add($"{watched.Pod.Name} uncaptured for more than {_bound.TotalSeconds:0.#} s from t={watched.UncapturedSince.Value.TotalSeconds:0.0} s");
            }
        }

        watched.Sampled = true;
    }

    private sealed class Watched(ClusterPod pod, CapturePolicy policy)
    {
        public ClusterPod Pod { get; } = pod;

        public CapturePolicy Policy { get; } = policy;

        public bool Sampled { get; set; }

        public TimeSpan? UncapturedSince { get; set; }

        public TimeSpan? FlushedAt { get; set; }

        public bool ReportedOver { get; set; }
    }
}
