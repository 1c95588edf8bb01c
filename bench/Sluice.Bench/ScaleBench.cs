using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;

namespace Sluice.Bench;

/// <summary>
/// sluice-agent at cluster scale (issue 21): one node of a cluster of N nodes (dual stack, every
/// node's InternalIP on the node's link), against the fake API server serving N Node objects and
/// 110 mesh pods on this node. Measured: the time from the node list to all 2·(N−1) routes in
/// the kernel; resident memory; the agent's CPU during a storm of 100 node updates per second
/// that change nothing a route depends on (heartbeats, as kubelet posts them), against the same
/// span idle, and the route changes it caused; pod lookups on the agent's socket while 20 pod
/// events per second arrive; and the requests the agent made to the API server once it had
/// listed (one watch per resource and no re-list is the target).
/// </summary>
internal static class ScaleBench
{
    private const int MetricsPort = 9871;
    private const int Pods = 110;
    private const string ClusterCidrs = "10.64.0.0/10,fd64::/32";
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(20);

    public static void Run(int nodes)
    {
        if (nodes is < 2 or > 16000)
        {
            throw new ArgumentOutOfRangeException(nameof(nodes), nodes, "between 2 and 16000 nodes (one /24 of 10.64.0.0/10 each)");
        }

        using var node = new ClusterNode(NodeName(0));
        using var dir = new TempDirectory("scale");
        Underlay(node);
        var api = FakeKubeApi.StartAsync([node.NetNs]).GetAwaiter().GetResult();
        try
        {
            for (var i = 0; i < nodes; i++)
            {
                api.SetNode(NodeName(i), NodeJson(i, heartbeat: 0));
            }

            var pods = Enumerable.Range(0, Pods).Select(i => SamplePods.Istio("bench", $"mesh-{i:d3}", NodeName(0))).ToList();

            var kubeconfig = api.WriteKubeconfig(dir.Combine("kubeconfig"));
            var expectedRoutes = 2 * (nodes - 1);
            var started = Stopwatch.StartNew();
            node.StartAgent(kubeconfig, ClusterCidrs, [("CHAINED", "true"), ("PROFILE", "istio"), ("LOG_LEVEL", "info"), ("HEALTH_PORT", MetricsPort.ToString(CultureInfo.InvariantCulture)), .. BenchAgentEnvironment.Read()]);
            WaitFor(() => ListRequests(api, "/api/v1/nodes") > 0, TimeSpan.FromSeconds(30), "the agent never listed the nodes");
            var listedAt = started.Elapsed;
            var cpuAtList = ProcessFigures.CpuMs(node.AgentId);
            try
            {
                WaitFor(() => RouteCount(node) >= expectedRoutes, TimeSpan.FromSeconds(60), $"the agent did not program {expectedRoutes} routes");
            }
            catch (TimeoutException error)
            {
                throw new TimeoutException($"{error.Message} ({RouteCount(node)} in place); the agent's log:\n{node.KillAgent()}", error);
            }

            var routedAt = started.Elapsed;
            var cpuToRoutes = ProcessFigures.CpuMs(node.AgentId) - cpuAtList;
            var requestsAfterList = api.Requests.Count;
            Thread.Sleep(3000);
            var settledKib = ProcessFigures.StatusKib(node.AgentId, "VmRSS:");

            var idle = CpuOver(node, Window, () => { });
            var changesBefore = Metric(node, "sluice_agent_route_changes_total");
            var heartbeat = 0;
            var storm = CpuOver(node, Window, () =>
            {
                heartbeat++;
                for (var i = 1; i <= 10; i++)
                {
                    var which = 1 + ((heartbeat * 10 + i) % (nodes - 1));
                    api.PushNodeEvent("MODIFIED", NodeJson(which, heartbeat));
                }
            });
            var stormEvents = heartbeat * 10;
            var flaps = Metric(node, "sluice_agent_route_changes_total") - changesBefore;
            var routesAfterStorm = RouteCount(node);

            // The node's pods started as kubelet starts them: the runtime's ADD through the agent's
            // own chain (bridge with its hostPort step, redirect: a sandbox record and capture rules in a real
            // namespace), then the pod Running with its addresses. Pod events then find them.
            var podsStarted = Stopwatch.StartNew();
            var running = pods.Select(pod =>
            {
                var started = ClusterKubelet.Start(node, api, pod);
                return ClusterKubelet.Running(pod, started.V4, started.V6);
            }).ToList();
            var podsStartedIn = podsStarted.Elapsed;
            var agentBefore = LookupBuckets(node);
            var pausesBefore = GC.GetTotalPauseDuration();
            var (lookups, podEvents) = LookupsUnderPodEvents(node, api, running);
            var harnessPauses = GC.GetTotalPauseDuration() - pausesBefore;
            var agentSide = LookupBuckets(node).Select(b => (b.Bound, b.Count - agentBefore.Single(a => a.Bound == b.Bound).Count)).ToList();
            var steadyRequests = api.Requests.Skip(requestsAfterList).ToList();
            var peakKib = ProcessFigures.StatusKib(node.AgentId, "VmHWM:");
            var endKib = ProcessFigures.StatusKib(node.AgentId, "VmRSS:");
            var log = Path.Combine(RepoPaths.Root, "artifacts", "bench-scale-agent.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, node.StopAgent());

            var report = new Report("scale", $"sluice-agent at {nodes} nodes: routes, memory, a heartbeat storm, lookups");
            report.Row("first node list → all routes in the kernel", $"{(routedAt - listedAt).TotalMilliseconds:F0} ms", $"{expectedRoutes} routes; the agent's CPU meanwhile {cpuToRoutes:F0} ms; agent start → list {listedAt.TotalMilliseconds:F0} ms");
            report.Row("resident memory, 3 s after the routes", $"{settledKib / 1024.0:F1} MiB", "");
            report.Row("resident memory at the end / peak", $"{endKib / 1024.0:F1} / {peakKib / 1024.0:F1} MiB", "");
            report.Row("CPU, idle", $"{Percent(idle.CpuMs, Window):F2} % of a core", $"{Window.TotalSeconds:F0} s");
            report.Row("CPU, 100 node updates/s changing no CIDR or address", $"{Percent(storm.CpuMs, Window):F2} % of a core", $"{stormEvents} events; {Microseconds(storm.CpuMs - idle.CpuMs, stormEvents)} µs of CPU per event above idle");
            report.Row("route changes during the storm", flaps.ToString(CultureInfo.InvariantCulture), $"{routesAfterStorm} routes after it");
            report.Row("the node's pods started through the agent's chain", $"{podsStartedIn.TotalSeconds:F1} s", $"{Pods} sandboxes one after the other (ADD of bridge and redirect, then Running with their addresses)");
            report.Row("pod lookup on the agent's socket, 20 pod events/s, median / p99", $"{Report.Ms(Percentile(lookups, 0.5))} / {Report.Ms(Percentile(lookups, 0.99))} ms", $"{lookups.Count} lookups, {podEvents} pod events, max {Report.Ms(lookups.Max())} ms");
            report.Row("the same lookups inside the agent (accept → answer sent), p50 / p99 bucket", $"≤ {BucketAt(agentSide, 0.5)} / ≤ {BucketAt(agentSide, 0.99)}", $"sluice_agent_pod_lookup_duration_seconds{{answer=\"200\"}} over the window: {string.Join(", ", agentSide.Select(b => $"{b.Item2:F0} ≤ {b.Bound}"))}; the bench process's own collector paused {harnessPauses.TotalMilliseconds:F1} ms in the window (its lookup timings hold those pauses)");
            report.Row("API requests once the routes were in place (the rest of the run)", steadyRequests.Count.ToString(CultureInfo.InvariantCulture), Describe(steadyRequests));
            report.Row("API requests of the whole run", api.Requests.Count.ToString(CultureInfo.InvariantCulture), Describe([.. api.Requests]));
            report.Write(
                ["what", "figure", "detail"],
                $"One node (node-000, a network namespace) of a {nodes}-node cluster: cluster CIDRs {ClusterCidrs}, a /24 and a /64 per node, InternalIPs 10.80.x.y and fd80::x:y " +
                "on the node's link (every node on one link, host-gw routes), sluice-agent in primary-network mode with sluice-redirect chained (istio profile) and the " +
                $"{Pods} Istio pods of this node in the fake API server (HTTPS, list and watch, C#), started after the storm: each a real namespace ADDed through the agent's conflist, then Running with its addresses. Routes: polled every 10 ms from the first node list the server answered. " +
                $"CPU: the agent's utime+stime over {Window.TotalSeconds:F0} s idle and over {Window.TotalSeconds:F0} s of 10 MODIFIED node events every 100 ms, each a node whose " +
                "heartbeat times and resourceVersion moved (what kubelet posts every 10 s per node: 500 per second at 5,000 nodes, before the API server's coalescing). " +
                $"Lookups: GET ns name uid on pods.sock, one every 10 ms for {Window.TotalSeconds:F0} s, each on a new connection, while a pod of this node gets a MODIFIED every 50 ms. " +
                (BenchAgentEnvironment.Text is { } env ? $"Agent environment added: {env}. " : "") +
                $"Command: `bench/run.sh scale {nodes}` (the agent's log: artifacts/bench-scale-agent.log).");
        }
        finally
        {
            api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static string NodeName(int i) => $"node-{i:d3}";

    /// <summary>Node i: pod CIDRs 10.64.0.0/10's i-th /24 and fd64:0:0:i::/64, InternalIPs 10.80.x.y and fd80::x:y; heartbeat moves its condition times and resourceVersion.</summary>
    private static string NodeJson(int i, int heartbeat)
    {
        var v4 = $"10.{64 + (i >> 8)}.{i & 0xff}.0/24";
        var v6 = $"fd64:0:0:{i:x}::/64";
        var ip4 = $"10.80.{(i + 1) >> 8}.{(i + 1) & 0xff}";
        var ip6 = $"fd80::{(i + 1) >> 8:x}:{(i + 1) & 0xff:x}";
        var json = JsonNode.Parse(SampleNodes.Node(NodeName(i), [v4, v6], [ip4, ip6]))!;
        json["metadata"]!["resourceVersion"] = (100_000 + heartbeat).ToString(CultureInfo.InvariantCulture);
        var time = new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc).AddSeconds(10 * heartbeat).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var condition in json["status"]!["conditions"]!.AsArray())
        {
            condition!["lastHeartbeatTime"] = time;
        }

        return json.ToJsonString();
    }

    /// <summary>The node's link to every other node: one end of a veth pair (both ends in the node) holding 10.80.0.1/16 and fd80::1/64.</summary>
    private static void Underlay(ClusterNode node)
    {
        Sluice.Linux.Sysctl.Sysctl.Write(node.NetNs, "net/ipv6/conf/default/accept_dad", "0");
        using var rtnl = Rtnl.OpenIn(node.NetNs);
        rtnl.CreateVeth("ul0", "ul0-peer", node.NetNs);
        var link = rtnl.GetLink("ul0");
        rtnl.AddAddress(link.Index, IPAddress.Parse("10.80.0.1"), 16);
        rtnl.AddAddress(link.Index, IPAddress.Parse("fd80::1"), 64, AddressFlags.NoDad);
        rtnl.SetUp(rtnl.GetLink("ul0-peer").Index);
        rtnl.SetUp(link.Index);
    }

    private static int RouteCount(ClusterNode node)
    {
        using var rtnl = Rtnl.OpenIn(node.NetNs);
        return rtnl.ListRoutes(AddressFamily.InterNetwork).Count(r => r.Protocol == ClusterNode.RouteProtocol)
            + rtnl.ListRoutes(AddressFamily.InterNetworkV6).Count(r => r.Protocol == ClusterNode.RouteProtocol);
    }

    /// <summary>
    /// Lookups every 10 ms on a new connection (as each plugin process makes one), timed from
    /// connect to the answer's newline, while a pod of this node gets a MODIFIED every 50 ms.
    /// </summary>
    private static (List<double> Lookups, int PodEvents) LookupsUnderPodEvents(ClusterNode node, FakeKubeApi api, List<string> pods)
    {
        var socket = Path.Combine(node.RunDir, "pods.sock");
        using var stop = new CancellationTokenSource(Window);
        var podEvents = 0;
        var events = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pod = JsonNode.Parse(pods[podEvents % pods.Count])!;
                pod["metadata"]!["resourceVersion"] = (200_000 + podEvents).ToString(CultureInfo.InvariantCulture);
                pod["metadata"]!["labels"]!["bench-tick"] = podEvents.ToString(CultureInfo.InvariantCulture);
                api.PushPodEvent("MODIFIED", pod.ToJsonString());
                podEvents++;
                Thread.Sleep(50);
            }
        });
        var lookups = new List<double>();
        var buffer = new byte[1 << 16];
        var i = 0;
        while (!stop.IsCancellationRequested)
        {
            var pod = JsonNode.Parse(pods[i++ % pods.Count])!["metadata"]!;
            var request = Encoding.ASCII.GetBytes($"GET bench {pod["name"]} {pod["uid"]}\n");
            var watch = Stopwatch.StartNew();
            using (var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            {
                client.Connect(new UnixDomainSocketEndPoint(socket));
                client.Send(request);
                var answer = ReadLine(client, buffer);
                if (!answer.StartsWith("200 ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"lookup of {pod["name"]}: {answer[..Math.Min(answer.Length, 200)]}");
                }
            }

            lookups.Add(watch.Elapsed.TotalMilliseconds);
            Thread.Sleep(10);
        }

        events.GetAwaiter().GetResult();
        return (lookups, podEvents);
    }

    private static string ReadLine(Socket client, byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var read = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0 || Array.IndexOf(buffer, (byte)'\n', length, read) >= 0 || length + read == buffer.Length)
            {
                return Encoding.UTF8.GetString(buffer, 0, length + read);
            }

            length += read;
        }
    }

    /// <summary>The agent's CPU milliseconds over <paramref name="span"/> while <paramref name="tick"/> runs every 100 ms.</summary>
    private static (double CpuMs, int Ticks) CpuOver(ClusterNode node, TimeSpan span, Action tick)
    {
        var before = ProcessFigures.CpuMs(node.AgentId);
        var watch = Stopwatch.StartNew();
        var ticks = 0;
        while (watch.Elapsed < span)
        {
            tick();
            ticks++;
            var next = TimeSpan.FromMilliseconds(100 * ticks) - watch.Elapsed;
            if (next > TimeSpan.Zero)
            {
                Thread.Sleep(next);
            }
        }

        return (ProcessFigures.CpuMs(node.AgentId) - before, ticks);
    }

    private static int ListRequests(FakeKubeApi api, string path) =>
        api.Requests.Count(r => r.Split('?')[0] == path && !r.Contains("watch=", StringComparison.Ordinal));

    /// <summary>Requests grouped as "N watch PATH", "N list PATH" (a collection: nodes, pods) or "N PARENT/…" (one object).</summary>
    private static string Describe(List<string> requests) =>
        requests.Count == 0 ? "none" : string.Join("; ", requests
            .Select(Kind)
            .GroupBy(kind => kind)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"{group.Count()} {group.Key}"));

    private static string Kind(string request)
    {
        var path = request.Split('?')[0];
        return request.Contains("watch=", StringComparison.Ordinal) ? $"watch {path}"
            : path.EndsWith("/nodes", StringComparison.Ordinal) || path.EndsWith("/pods", StringComparison.Ordinal) ? $"list {path}"
            : $"{path[..path.LastIndexOf('/')]}/…";
    }

    private static double Percent(double cpuMs, TimeSpan span) => 100 * cpuMs / span.TotalMilliseconds;

    private static string Microseconds(double cpuMs, int events) => events == 0 ? "—" : (1000 * cpuMs / events).ToString("F0", CultureInfo.InvariantCulture);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Floor(p * sorted.Count))];
    }

    private static void WaitFor(Func<bool> condition, TimeSpan patience, string failure)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > patience)
            {
                throw new TimeoutException(failure);
            }

            Thread.Sleep(10);
        }
    }


    /// <summary>The agent's cumulative counts of answered (200) lookups per bucket bound, as its /metrics has them.</summary>
    private static List<(string Bound, double Count)> LookupBuckets(ClusterNode node)
    {
        const string Prefix = "sluice_agent_pod_lookup_duration_seconds_bucket{answer=\"200\",le=\"";
        return node.Get(MetricsPort, "/metrics").Split('\n')
            .Where(l => l.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(l => (l[Prefix.Length..l.IndexOf('"', Prefix.Length)], double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>The smallest bucket bound (in ms, or +Inf) that holds <paramref name="quantile"/> of the window's lookups.</summary>
    private static string BucketAt(List<(string Bound, double Count)> buckets, double quantile)
    {
        var total = buckets.Single(b => b.Bound == "+Inf").Count;
        if (total == 0)
        {
            return "n/a (no lookups)";
        }

        var (bound, _) = buckets.First(b => b.Count >= quantile * total);
        return bound == "+Inf" ? bound : $"{double.Parse(bound, CultureInfo.InvariantCulture) * 1000:0.###} ms";
    }

    private static double Metric(ClusterNode node, string series)
    {
        var text = node.Get(MetricsPort, "/metrics");
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
