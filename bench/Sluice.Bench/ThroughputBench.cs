using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Sluice.Linux.Namespaces;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;

namespace Sluice.Bench;

/// <summary>
/// TCP throughput with iperf3 (Debian's), in two of the overlay tests' three-node clusters side by
/// side, one with the host-gw backend and one with vxlan: node-a to node-b over the underlay (their
/// veths through the router's bridge), pod to pod across those two nodes with each backend, and
/// pod to pod from node-a to node-c behind the router, which only vxlan reaches. Samples interleave
/// path by path. Each sample is one iperf3 run of SECONDS seconds, one stream.
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

        // Two clusters side by side, one per backend, so their samples interleave (the machine's
        // speed drifts by a fifth over minutes; one backend after the other would measure that).
        using var hostGwCluster = new ThreeNodeCluster();
        using var vxlanCluster = new ThreeNodeCluster();
        hostGwCluster.StartAgents();
        vxlanCluster.StartAgents(("BACKEND", "vxlan"));
        hostGwCluster.A.Wait(() => hostGwCluster.A.SluiceRoutes().Count == 2, "host-gw: node-a programmed no routes");
        foreach (var node in vxlanCluster.Nodes)
        {
            node.Wait(() => node.SluiceRoutes().Count == 4, $"vxlan: {node.Name} programmed no routes");
        }

        var (gwA, gwB) = (hostGwCluster.A.AddPod("gw-a"), hostGwCluster.B.AddPod("gw-b"));
        var (vxA, vxB, vxC) = (vxlanCluster.A.AddPod("vx-a"), vxlanCluster.B.AddPod("vx-b"), vxlanCluster.C.AddPod("vx-c"));
        var paths = new (string What, NetNs Client, NetNs Server, IPAddress Target, string Mtu)[]
        {
            ("node-a → node-b, underlay", hostGwCluster.A.NetNs, hostGwCluster.B.NetNs, IPAddress.Parse("10.77.0.2"), "1500"),
            ("pod on node-a → pod on node-b, host-gw", gwA.NetNs, gwB.NetNs, gwB.V4, Mtu(hostGwCluster.A)),
            ("pod on node-a → pod on node-b, vxlan", vxA.NetNs, vxB.NetNs, vxB.V4, Mtu(vxlanCluster.A)),
            ("pod on node-a → pod on node-c (behind the router), vxlan", vxA.NetNs, vxC.NetNs, vxC.V4, Mtu(vxlanCluster.A)),
        };
        var samples = paths.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < runs; i++)
        {
            // Rotate who goes first, so no path always follows the same one.
            for (var k = 0; k < paths.Length; k++)
            {
                var p = (i + k) % paths.Length;
                samples[p].Add(Measure(iperf, paths[p].Client, paths[p].Server, paths[p].Target));
            }
        }

        var report = new Report("throughput", "Pod-to-pod TCP throughput: host-gw, VXLAN and the underlay (iperf3)");
        for (var p = 0; p < paths.Length; p++)
        {
            var stats = Stats.Of(samples[p]);
            report.Row(paths[p].What, paths[p].Mtu, Gbit(stats.Median), Gbit(samples[p].Min()), Gbit(samples[p].Max()), samples[p].Count.ToString(CultureInfo.InvariantCulture));
        }

        var ratio = Stats.Of(samples[2]).Median / Stats.Of(samples[1]).Median;
        report.Row("**vxlan / host-gw (medians, same node pair)**", "", ratio.ToString("F2", CultureInfo.InvariantCulture), "", "", "");
        report.Write(
            ["path", "pod MTU", "median Gbit/s", "min", "max", "samples"],
            $"iperf3 {Version(iperf)}, one TCP stream, {Seconds} s per sample, receiver's figure; IPv4. Nodes, pods and the router are network namespaces on one " +
            $"machine ({Environment.ProcessorCount} cores, load average {Load()} at the end): every byte crosses veths and is copied by the same CPUs, so the figures are " +
            "CPU-bound and show the relative cost of each path (encapsulation, the extra routing hop), not a NIC's speed. Two three-node clusters side by side, one " +
            "per backend (host-gw, vxlan), samples interleaved path by path with the order rotated each round. Target (issue 18): " +
            $"vxlan ≥ 0.8 of host-gw. Command: `bench/run.sh throughput {runs}`.");
    }

    private static string Gbit(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    private static string Mtu(ClusterNode node) =>
        ((int?)JsonNode.Parse(File.ReadAllText(node.Conflist))!["plugins"]![0]!["mtu"])?.ToString(CultureInfo.InvariantCulture) ?? "default";

    /// <summary>One iperf3 run from <paramref name="client"/> to a server in <paramref name="server"/> at <paramref name="target"/>; Gbit/s.</summary>
    private static double Measure(string iperf, NetNs client, NetNs server, IPAddress target)
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
        return bits / 1e9;
    }

    private static string Version(string iperf) => ProcessRunner.Run(iperf, new Dictionary<string, string>(), null, ["--version"]).Stdout.Split(' ', 3)[1];

    private static string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
}
