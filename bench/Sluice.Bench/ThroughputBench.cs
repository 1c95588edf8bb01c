using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;

namespace Sluice.Bench;

/// <summary>
/// TCP throughput with iperf3 (Debian's), in the three-node cluster of the overlay tests: node-a to
/// node-b over the underlay (their veth through the router's bridge), pod to pod across those two
/// nodes with the host-gw backend, then with the vxlan backend (the agents restarted with
/// BACKEND=vxlan, new pods so they get the VXLAN MTU), and pod to pod from node-a to node-c
/// behind the router, which only vxlan reaches. The underlay is measured before each backend, so
/// drift between the phases shows. Each sample is one iperf3 run of SECONDS seconds, one stream.
/// </summary>
internal static class ThroughputBench
{
    private const int Seconds = 5;

    public static void Run(int runs)
    {
        var iperf = "/usr/bin/iperf3";
        if (!File.Exists(iperf))
        {
            throw new InvalidOperationException("iperf3 is not installed (scripts/prereqs.sh test installs it)");
        }

        using var cluster = new ThreeNodeCluster();
        var (a, b, c) = (cluster.A, cluster.B, cluster.C);
        var rows = new List<(string What, List<double> Gbits, string Mtu)>();

        cluster.StartAgents();
        a.Wait(() => a.SluiceRoutes().Count == 2, "node-a programmed no host-gw routes");
        var underlay1 = Measure(iperf, a.NetNs, b.NetNs, IPAddress.Parse("10.77.0.2"), runs);
        var (gwA, gwB) = (a.AddPod("gw-a"), b.AddPod("gw-b"));
        var hostGw = Measure(iperf, gwA.NetNs, gwB.NetNs, gwB.V4, runs);
        rows.Add(("node-a → node-b, underlay (before host-gw)", underlay1, "1500"));
        rows.Add(("pod on node-a → pod on node-b, host-gw", hostGw, Mtu(a)));
        a.DeletePod(gwA);
        b.DeletePod(gwB);

        foreach (var node in cluster.Nodes)
        {
            node.KillAgent();
            node.RestartAgent(("BACKEND", "vxlan"));
        }

        foreach (var node in cluster.Nodes)
        {
            node.Wait(() => node.SluiceRoutes().Count == 4 && Mtu(node) == "1430", $"{node.Name} did not switch to vxlan");
        }

        var underlay2 = Measure(iperf, a.NetNs, b.NetNs, IPAddress.Parse("10.77.0.2"), runs);
        var (vxA, vxB, vxC) = (a.AddPod("vx-a"), b.AddPod("vx-b"), c.AddPod("vx-c"));
        var vxlan = Measure(iperf, vxA.NetNs, vxB.NetNs, vxB.V4, runs);
        var routed = Measure(iperf, vxA.NetNs, vxC.NetNs, vxC.V4, runs);
        rows.Add(("node-a → node-b, underlay (before vxlan)", underlay2, "1500"));
        rows.Add(("pod on node-a → pod on node-b, vxlan", vxlan, Mtu(a)));
        rows.Add(("pod on node-a → pod on node-c (behind the router), vxlan", routed, Mtu(a)));

        var report = new Report("throughput", "Pod-to-pod TCP throughput: host-gw, VXLAN and the underlay (iperf3)");
        foreach (var (what, gbits, mtu) in rows)
        {
            var stats = Stats.Of(gbits);
            report.Row(what, mtu, Gbit(stats.Median), Gbit(gbits.Min()), Gbit(gbits.Max()), gbits.Count.ToString(CultureInfo.InvariantCulture));
        }

        var ratio = Stats.Of(vxlan).Median / Stats.Of(hostGw).Median;
        report.Row("**vxlan / host-gw (medians, same node pair)**", "", ratio.ToString("F2", CultureInfo.InvariantCulture), "", "", "");
        report.Write(
            ["path", "pod MTU", "median Gbit/s", "min", "max", "samples"],
            $"iperf3 {Version(iperf)}, one TCP stream, {Seconds} s per sample, receiver's figure; IPv4. Nodes, pods and the router are network namespaces on one " +
            $"machine ({Environment.ProcessorCount} cores, load average {Load()} at the end): every byte crosses veths and is copied by the same CPUs, so the figures are " +
            "CPU-bound and show the relative cost of each path (encapsulation, the extra routing hop), not a NIC's speed. host-gw and vxlan ran one after the other " +
            "on the same node pair (node-a, node-b on one subnet); the underlay before each says how far the machine drifted between them. Target (issue 18): " +
            $"vxlan ≥ 0.8 of host-gw. Command: `bench/run.sh throughput {runs}`.");
    }

    private static string Gbit(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Mtu(ClusterNode node) =>
        ((int?)JsonNode.Parse(File.ReadAllText(node.Conflist))!["plugins"]![0]!["mtu"])?.ToString(CultureInfo.InvariantCulture) ?? "default";

    /// <summary>iperf3 from <paramref name="client"/> to a server in <paramref name="server"/> at <paramref name="target"/>; Gbit/s per run.</summary>
    private static List<double> Measure(string iperf, NetNs client, NetNs server, IPAddress target, int runs)
    {
        var results = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            using var listener = server.Run(() => Process.Start(new ProcessStartInfo(iperf, ["-s", "-1", "-B", target.ToString(), "-p", "5201"]) { RedirectStandardOutput = true, RedirectStandardError = true })!);
            Thread.Sleep(300);
            var run = ProcessRunner.RunIn(client, iperf, new Dictionary<string, string>(), null, ["-c", target.ToString(), "-p", "5201", "-t", Seconds.ToString(CultureInfo.InvariantCulture), "-J"]);
            listener.WaitForExit(10_000);
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"iperf3 to {target}: {run}");
            }

            var bits = (double)JsonNode.Parse(run.Stdout)!["end"]!["sum_received"]!["bits_per_second"]!;
            results.Add(bits / 1e9);
        }

        return results;
    }

    private static string Version(string iperf) => ProcessRunner.Run(iperf, new Dictionary<string, string>(), null, ["--version"]).Stdout.Split(' ', 3)[1];

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
