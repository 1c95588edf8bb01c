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
        Assert.Empty(run.Sampler.Errors);
        Assert.True(run.Sampler.OverBound.Count == 0, $"{string.Join('\n', run.Sampler.OverBound)}\nnode A's agent and plugins about them:\n{run.LogAbout(run.Sampler.OverBound)}");
        Assert.Equal(Creations, run.Created);
        Assert.Equal((Creations + 2) / 3, run.MeshEndedCaptured);
        Assert.Equal(Creations - ((Creations + 2) / 3), run.PlainChecked);
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
        private readonly ConcurrentQueue<(ClusterPod Pod, double At)> _flushes = new();
        private readonly List<string> _agentLogs = [];
        private DateTime _startedAt;
        private int _next;
        private int _created;
        private int _failedAdds;
        private int _plainChecked;
        private int _meshEndedCaptured;
        private volatile bool _outage;

        public CaptureSampler Sampler { get; } = new(Bound);

        public ConcurrentQueue<string> Problems { get; } = new();

        public int Created => _created;

        public int MeshEndedCaptured => _meshEndedCaptured;

        public int PlainChecked => _plainChecked;

        public int Flushed { get; private set; }

        public int Stopped { get; private set; }

        public void Execute()
        {
            using (Sampler)
            {
                _startedAt = DateTime.UtcNow;
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
                ("mesh_pods_ended_captured", _meshEndedCaptured), ("plain_pods_checked", _plainChecked), ("over_bound", Sampler.OverBound.Count), ("sample_errors", Sampler.Errors.Count), ("leaks", Problems.Count(p => p.StartsWith("leak", StringComparison.Ordinal))),
                ("crashes", Problems.Count(p => p.StartsWith("crash", StringComparison.Ordinal))), ("duration", _clock.Elapsed),
            ];
        }

        public string Details() => new StringBuilder()
            .AppendJoin('\n', Sampler.OverBound).Append('\n')
            .AppendJoin('\n', Sampler.Errors).Append('\n')
            .AppendJoin('\n', Problems).Append('\n')
            .Append("time to repair (ms, sampled every 200 ms): ").AppendJoin(' ', Sampler.Repairs.Select(r => r.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))).Append('\n')
            .Append("flush to repair (ms): ").AppendJoin(' ', Sampler.FlushRepairs.Select(r => r.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture))).Append('\n')
            .ToString();

        /// <summary>The lines of node A's logs (agent and plugins, the whole run) about the pods the entries start with.</summary>
        public string LogAbout(IEnumerable<string> entries)
        {
            var pods = entries.Select(e => e.Split(' ')[0]).ToHashSet(StringComparer.Ordinal);
            return $"(t=0 s was {_startedAt.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC)\n" + string.Join('\n', _agentLogs.SelectMany(l => l.Split('\n')).Where(line =>
                line.StartsWith("--- ", StringComparison.Ordinal) ||
                pods.Any(p => line.Contains($"pod=chaos/{p}:", StringComparison.Ordinal) || line.Contains($"pod=chaos/{p} ", StringComparison.Ordinal) || line.Contains($"pod chaos/{p}:", StringComparison.Ordinal))));
        }

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
                // Every mesh pod ends captured: its last sample before the deletion saw all its rules
                // (one in an uncaptured stretch is given the bound and a sample to be repaired first).
                if (Sampler.WaitCaptured(pod.Name, Bound + CaptureSampler.Interval))
                {
                    Interlocked.Increment(ref _meshEndedCaptured);
                }
                else
                {
                    Problems.Enqueue($"mesh pod {pod.Name} was still uncaptured when it was deleted");
                }

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

                _agentLogs.Add($"--- t={Now:0.0} s: {(kill ? "SIGKILL" : "SIGTERM")}\n" + (kill ? _node.KillAgent() : _node.StopAgent()));

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

                // 20 different running mesh pods, each seen captured and living on for a while. A
                // flush the outage held up is made as soon as there are pods again (catching up).
                var candidates = _running.Values.Where(r => r.Mesh && !_flushes.Any(f => f.Pod == r.Pod) && Sampler.WasCaptured(r.Pod.Name) && r.Until > Now + 3 && !r.Claimed).ToList();
                var target = candidates.Count == 0 ? null : candidates[Next(candidates.Count)];
                var at = Sampler.Now;
                if (target?.Pod.Ns.TryExec("nft", "delete", "table", "inet", "sluice_capture").ExitCode == 0)
                {
                    Sampler.Flushed(target.Pod, at);
                    _flushes.Enqueue((target.Pod, Now));
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

            CheckRepairsRecorded();
            var records = Path.Combine(_node.RunDir, "sandboxes");
            _node.Wait(() => !Directory.Exists(records) || !Directory.EnumerateFiles(records, "*.json").Any(), "sandbox records left");

            // DEL releases a pod's host veth; the kernel deletes the pair with the pod's namespace,
            // which dies asynchronously once its last reference (a watch socket, the kernel's own
            // cleanup work) is gone. A veth still there after the same patience is a leak.
            var patience = Stopwatch.StartNew();
            while (_node.LeftoverLinks().Count > 0 && patience.Elapsed < TimeSpan.FromSeconds(15))
            {
                Thread.Sleep(100);
            }

            var leftovers = _node.LeftoverLinks(describe: true).Concat(_node.IpamLeftovers()).Concat(Directory.Exists(records) ? Directory.EnumerateFileSystemEntries(records) : []).ToList();
            foreach (var leftover in leftovers)
            {
                Problems.Enqueue($"leak: {leftover}");
            }

            // The node's agent logs of the whole run, beside the figures, for whoever reads a failure.
            _agentLogs.Add($"--- t={Now:0.0} s: end of the run\n" + _node.KillAgent());
            Directory.CreateDirectory(Lab.Figures.Directory);
            File.WriteAllText(Path.Combine(Lab.Figures.Directory, "capture-chaos-agent.log"), string.Join('\n', _agentLogs));
        }

        /// <summary>
        /// Every flush the agent repaired is counted as a CaptureRepaired event on its pod, but for
        /// flushes while the API server was unreachable (or a second either side): their events are
        /// dropped, as the agent's sluice_capture_events_failed_total counts.
        /// </summary>
        private void CheckRepairsRecorded()
        {
            foreach (var group in _flushes.Where(f => f.At < Outage.From - 1 || f.At > Outage.To + 1).GroupBy(f => f.Pod))
            {
                var pod = group.Key;
                var repaired = _api.EventsFor(pod.KubeNamespace, pod.Name).Count(e => (string?)e["reason"] == "CaptureRepaired");
                if (repaired < group.Count())
                {
                    Problems.Enqueue($"pod {pod.Name} was flushed {group.Count()} times (at {string.Join(", ", group.Select(f => $"{f.At:0.0} s"))}), {repaired} CaptureRepaired events");
                }
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
