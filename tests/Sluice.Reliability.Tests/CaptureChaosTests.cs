using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Agent.Capture;
using Sluice.Agent.Settings;
using Sluice.Kube.Models;
using Sluice.Reliability.Tests.Lab;
using Sluice.TestSupport.Cluster;

namespace Sluice.Reliability.Tests;

/// <summary>
/// Issue 16's chaos run on the two-node cluster (fake API server, both agents in primary-network
/// mode chaining sluice-redirect with the istio profile, pods through libcni on node A): 200 pod
/// creations and deletions, a third of them mesh pods, while node A's agent is stopped five times
/// (SIGTERM and SIGKILL in turn, restarted 300 ms later as kubelet restarts a container), its
/// conflist is rewritten without sluice-redirect every 100 ms for ten seconds, the capture of 20
/// running mesh pods is flushed, and the API server is unreachable for ten seconds. A sampler
/// checks every running mesh pod every 200 ms.
/// </summary>
public sealed class CaptureChaosTests
{
    private const int Creations = 200;
    private const int RunningTarget = 16;
    private const int Flushes = 20;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RestartDelay = TimeSpan.FromMilliseconds(300);

    // The faults, from the start of the run. The fourth stop falls in the API server's outage:
    // the restarted agent knows the pods only from the list it kept in its run dir.
    private static readonly (double At, bool Kill)[] Stops = [(5, false), (13, true), (22, false), (34, true), (50, true)];
    private static readonly (double From, double To) Rewrites = (10, 20);
    private static readonly (double From, double To) Outage = (30, 40);
    private static readonly (double From, double To) FlushWindow = (17, 48);

    [RootFact]
    public void TwoHundredPods_UnderAgentStopsConflistRewritesFlushesAndAnApiOutage_KeepEveryMeshPodCaptured()
    {
        using var cluster = new TwoNodeCluster();
        cluster.StartAgents(("CHAINED", "true"), ("PROFILE", "istio"));
        var run = new ChaosRun(cluster);
        run.Execute();
        var figures = run.Figures();
        Figures.Report("capture-chaos", figures, run.Details());

        Assert.True(run.Problems.IsEmpty, string.Join('\n', run.Problems));
        Assert.Empty(run.Sampler.OverBound);
        Assert.Equal(Creations, run.Created);
        Assert.True(run.Flushed >= Flushes, $"only {run.Flushed} flushes");
        Assert.Equal(Stops.Length, run.Stopped);
        Assert.True(run.Sampler.FlushRepairs.Count >= Flushes, $"{run.Sampler.FlushRepairs.Count} flushes seen repaired");
    }

    /// <summary>One run: the workload, the faults on their own threads, the checks at the end.</summary>
    private sealed class ChaosRun(TwoNodeCluster cluster)
    {
        private readonly ClusterNode _node = cluster.A;
        private readonly FakeKubeApi _api = cluster.Api;
        private readonly Sluice.Redirect.RedirectSettings _plugin = PluginEntrySettings.For(AgentSettings.Parse(["--profile", "istio"], new Dictionary<string, string>(), TextWriter.Null)!);
        private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
        private readonly Stopwatch _clock = new();
        private readonly Random _random = new(16);
        private readonly Lock _randomLock = new();
        private int _next;
        private int _created;
        private int _failedAdds;
        private int _plainChecked;
        private volatile bool _outage;

        public CaptureSampler Sampler { get; } = new(Bound);

        public ConcurrentQueue<string> Problems { get; } = new();

        public int Created => _created;

        public int Flushed { get; private set; }

        public int Stopped { get; private set; }

        public void Execute()
        {
            using (Sampler)
            {
                _clock.Start();
                var threads = new List<Thread> { new(Workload), new(Workload), new(StopAgent), new(RewriteConflist), new(Flush), new(CutApi) };
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
                Finish();
            }
        }

        public (string Name, object Value)[] Figures()
        {
            var repairs = Sampler.Repairs.Select(r => r.TotalMilliseconds).Order().ToList();
            var flushes = Sampler.FlushRepairs.Select(r => r.TotalMilliseconds).Order().ToList();
            return
            [
                ("pods", _created), ("mesh_pods", (_created + 2) / 3), ("failed_adds_retried", _failedAdds), ("agent_stops", Stopped), ("flushes", Flushed),
                ("samples", Sampler.Samples), ("mesh_pods_started_uncaptured", Sampler.StartedUncaptured),
                ("capture_repaired_events", _api.Events.Count(e => (string?)e["reason"] == "CaptureRepaired")),
                ("uncaptured_mesh_pod_seconds", Sampler.UncapturedPodSeconds),
                ("longest_uncaptured_ms", Sampler.Longest.TotalMilliseconds),
                ("repairs_seen", repairs.Count), ("repair_ms_median", Percentile(repairs, 0.5)), ("repair_ms_p99", Percentile(repairs, 0.99)), ("repair_ms_max", repairs.LastOrDefault()),
                ("flush_to_repair_ms_median", Percentile(flushes, 0.5)), ("flush_to_repair_ms_p99", Percentile(flushes, 0.99)), ("flush_to_repair_ms_max", flushes.LastOrDefault()),
                ("plain_pods_checked", _plainChecked), ("over_bound", Sampler.OverBound.Count), ("leaks", Problems.Count(p => p.StartsWith("leak", StringComparison.Ordinal))),
                ("crashes", Problems.Count(p => p.StartsWith("crash", StringComparison.Ordinal))), ("duration", _clock.Elapsed),
            ];
        }

        public string Details() => new StringBuilder()
            .AppendJoin('\n', Sampler.OverBound).Append('\n')
            .AppendJoin('\n', Problems).Append('\n')
            .Append("time to repair (ms, sampled every 200 ms): ").AppendJoin(' ', Sampler.Repairs.Select(r => r.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))).Append('\n')
            .Append("flush to repair (ms): ").AppendJoin(' ', Sampler.FlushRepairs.Select(r => r.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))).Append('\n')
            .ToString();

        private double Now => _clock.Elapsed.TotalSeconds;

        private int Next(int max)
        {
            lock (_randomLock)
            {
                return _random.Next(max);
            }
        }

        private void Workload()
        {
            while (true)
            {
                if (_outage)
                {
                    // Nothing is scheduled nor deleted while the API server is unreachable.
                    Thread.Sleep(50);
                    continue;
                }

                if (_running.Values.FirstOrDefault(r => r.Until < Now && r.TryClaim()) is { } expired)
                {
                    Delete(expired);
                    continue;
                }

                if (_running.Count >= RunningTarget || Volatile.Read(ref _next) >= Creations)
                {
                    if (Volatile.Read(ref _next) >= Creations && _running.IsEmpty)
                    {
                        return;
                    }

                    Thread.Sleep(20);
                    continue;
                }

                var index = Interlocked.Increment(ref _next) - 1;
                if (index < Creations)
                {
                    Create(index);
                }
            }
        }

        private void Create(int index)
        {
            var name = $"p{index:d3}";
            var mesh = index % 3 == 0;
            var json = ClusterKubelet.Edit(mesh ? SamplePods.Istio("chaos", name, "node-a") : SamplePods.Plain("chaos", name, "node-a"), p => p["metadata"]!["uid"] = Guid.NewGuid().ToString());
            while (true)
            {
                while (_outage)
                {
                    Thread.Sleep(50);
                }

                if (ClusterKubelet.TryStart(_node, _api, json) is { } pod)
                {
                    var running = new Running(pod, json, mesh, Now + 2 + Next(40) / 10.0);
                    if (mesh)
                    {
                        Sampler.Add(pod, DesiredCapture.For(PodJson.Read(json), _plugin, "node-a").Policy!);
                    }

                    _running[name] = running;
                    Interlocked.Increment(ref _created);
                    return;
                }

                // Sandbox creation failed (no configuration, agent away): kubelet tries again.
                Interlocked.Increment(ref _failedAdds);
                Thread.Sleep(200);
            }
        }

        private void Delete(Running running)
        {
            var pod = running.Pod;
            if (running.Mesh)
            {
                Sampler.Remove(pod);
            }
            else
            {
                CheckPlain(pod);
            }

            // Deleted through the API first (terminating), as kubelet sees it before it stops the
            // sandbox; the runtime retries a DEL that failed (its configuration missing while the agent was away).
            _api.PushPodEvent("MODIFIED", ClusterKubelet.Terminating(ClusterKubelet.Running(running.Json, pod.V4, pod.V6)));
            var deadline = Now + 15;
            while (_node.DeletePod(pod) is { ExitCode: not 0 } del)
            {
                if (Now > deadline)
                {
                    Problems.Enqueue($"leak: DEL of {pod.Name} kept failing: {del}");
                    break;
                }

                Thread.Sleep(200);
            }

            _node.RemovePod(pod);
            _api.PushPodEvent("DELETED", running.Json);
            _running.TryRemove(pod.Name, out _);
        }

        private void CheckPlain(ClusterPod pod)
        {
            Interlocked.Increment(ref _plainChecked);
            var rules = pod.Ns.Exec("nft", "list", "ruleset").Trim();
            if (rules.Length > 0)
            {
                Problems.Enqueue($"plain pod {pod.Name} has rules: {rules}");
            }

            if (_api.EventsFor(pod.KubeNamespace, pod.Name).Count > 0)
            {
                Problems.Enqueue($"plain pod {pod.Name} has events: {string.Join(" | ", _api.EventsFor(pod.KubeNamespace, pod.Name))}");
            }
        }

        private void StopAgent()
        {
            foreach (var (at, kill) in Stops)
            {
                SleepUntil(at);
                if (_node.AgentHasExited)
                {
                    Problems.Enqueue($"crash: node-a's agent had exited before stop {Stopped + 1}:\n{_node.AgentLogSoFar()}");
                }

                if (kill)
                {
                    _node.KillAgent();
                }
                else
                {
                    _node.StopAgent();
                }

                Thread.Sleep(RestartDelay);
                _node.RestartAgent();
                Stopped++;
            }
        }

        private void RewriteConflist()
        {
            SleepUntil(Rewrites.From);
            while (Now < Rewrites.To)
            {
                // As a primary plugin's agent rewrites its own file: the whole file, renamed into place.
                if (File.Exists(_node.Conflist))
                {
                    try
                    {
                        var list = JsonNode.Parse(File.ReadAllText(_node.Conflist))!.AsObject();
                        var plugins = list["plugins"]!.AsArray();
                        foreach (var redirect in plugins.Where(p => (string?)p!["type"] == "sluice-redirect").ToList())
                        {
                            plugins.Remove(redirect);
                        }

                        var temporary = _node.Conflist + ".primary-tmp";
                        File.WriteAllText(temporary, list.ToJsonString());
                        File.Move(temporary, _node.Conflist, overwrite: true);
                    }
                    catch (Exception error) when (error is IOException or System.Text.Json.JsonException)
                    {
                        // Replaced or removed by the agent meanwhile: the next round writes it.
                    }
                }

                Thread.Sleep(100);
            }
        }

        private void Flush()
        {
            var interval = (FlushWindow.To - FlushWindow.From) / Flushes;
            while (Flushed < Flushes)
            {
                SleepUntil(FlushWindow.From + (Flushed * interval));

                // A running mesh pod seen captured, not flushed already, that lives on for a while.
                var candidates = _running.Values.Where(r => r.Mesh && Sampler.WasCaptured(r.Pod.Name) && !Sampler.FlushPending(r.Pod.Name) && r.Until > Now + 3 && !r.Claimed).ToList();
                var target = candidates.Count == 0 ? null : candidates[Next(candidates.Count)];
                if (target?.Pod.Ns.TryExec("nft", "delete", "table", "inet", "sluice_capture").ExitCode == 0)
                {
                    Sampler.Flushed(target.Pod);
                    Flushed++;
                }
                else
                {
                    Thread.Sleep(100);
                }
            }
        }

        private void CutApi()
        {
            SleepUntil(Outage.From);
            _outage = true;
            _api.Unreachable = true;
            SleepUntil(Outage.To);
            _api.Unreachable = false;
            _outage = false;
        }

        private void Finish()
        {
            // The workload deleted every pod; give the sampler's last stretches a moment to close.
            Thread.Sleep(CaptureSampler.Interval * 2);
            if (_node.AgentHasExited)
            {
                Problems.Enqueue($"crash: node-a's agent exited:\n{_node.AgentLogSoFar()}");
            }

            var records = Path.Combine(_node.RunDir, "sandboxes");
            _node.Wait(() => !Directory.Exists(records) || !Directory.EnumerateFiles(records, "*.json").Any(), "sandbox records left");
            var leftovers = _node.LeftoverLinks().Concat(_node.IpamLeftovers()).Concat(Directory.Exists(records) ? Directory.EnumerateFileSystemEntries(records) : []).ToList();
            foreach (var leftover in leftovers)
            {
                Problems.Enqueue($"leak: {leftover}");
            }
        }

        private void SleepUntil(double seconds)
        {
            var rest = seconds - Now;
            if (rest > 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(rest));
            }
        }

        private static double Percentile(List<double> sorted, double fraction) =>
            sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    private sealed class Running(ClusterPod pod, string json, bool mesh, double until)
    {
        private int _claimed;

        public ClusterPod Pod { get; } = pod;

        public string Json { get; } = json;

        public bool Mesh { get; } = mesh;

        public double Until { get; } = until;

        public bool Claimed => Volatile.Read(ref _claimed) != 0;

        public bool TryClaim() => Interlocked.CompareExchange(ref _claimed, 1, 0) == 0;
    }
}
