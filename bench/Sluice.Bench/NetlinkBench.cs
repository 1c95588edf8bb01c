using System.Diagnostics;
using System.Globalization;
using System.Net;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// One pod-plumbing cycle (veth with its peer created in the pod netns, pod address, link up,
/// route in the pod, veth deleted), done by Sluice.Linux over netlink and by the same five
/// <c>ip</c> commands, alternately, in the same two namespaces; each step is timed on its own.
/// </summary>
internal static class NetlinkBench
{
    private static readonly string[] Steps = ["open pod-netns socket", "create veth (peer in pod netns)", "add address", "set link up", "add route", "delete veth"];

    public static void Run(int runs)
    {
        using var node = TestNetns.Create("bnode");
        using var pod = TestNetns.Create("bpod");
        using var nodeNs = node.Open();
        using var podNs = pod.Open();
        using var nodeRtnl = Rtnl.OpenIn(nodeNs);

        var library = Steps.Select(_ => new List<double>()).ToArray();
        var commands = Steps.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < runs + 5; i++)
        {
            var libraryTimes = LibraryCycle(nodeRtnl, podNs);
            var commandTimes = IpCycle(node.Name, pod.Name);
            if (i < 5)
            {
                continue;
            }

            for (var s = 0; s < Steps.Length; s++)
            {
                library[s].Add(libraryTimes[s]);
                commands[s].Add(commandTimes[s]);
            }
        }

        var report = new Report("netlink", "Pod plumbing: Sluice.Linux (netlink, in-process) vs ip commands");
        for (var s = 0; s < Steps.Length; s++)
        {
            var lib = Stats.Of(library[s]);
            var ip = Stats.Of(commands[s]);
            report.Row(Steps[s], Report.Ms(lib.Median), s == 0 ? "—" : Report.Ms(ip.Median), s == 0 ? "—" : $"{ip.Median / lib.Median:F0}×");
        }

        double Total(List<double>[] steps, int from, int to) => Stats.Of(Enumerable.Range(0, steps[0].Count).Select(r => steps[from..to].Sum(step => step[r])).ToList()).Median;
        var libraryCycle = Total(library, 0, Steps.Length);
        var ipCycle = Total(commands, 0, Steps.Length);
        var libraryPlumb = Total(library, 0, Steps.Length - 1);
        var ipPlumb = Total(commands, 0, Steps.Length - 1);
        report.Row("**plumbing (all but delete)**", Report.Ms(libraryPlumb), Report.Ms(ipPlumb), $"{ipPlumb / libraryPlumb:F0}×");
        report.Row("**whole cycle**", Report.Ms(libraryCycle), Report.Ms(ipCycle), $"{ipCycle / libraryCycle:F1}×");
        report.Write(
            ["step", "Sluice.Linux median ms", "ip median ms", "speed-up"],
            $"{runs} cycles, alternating library and ip, in the same node and pod namespaces. Command: `bench/run.sh netlink {runs}`.");
    }

    private static double[] LibraryCycle(Rtnl node, NetNs podNs)
    {
        var times = new double[Steps.Length];
        var watch = Stopwatch.StartNew();
        double Lap()
        {
            var elapsed = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            return elapsed;
        }

        using var pod = Rtnl.OpenIn(podNs);
        times[0] = Lap();
        node.CreateVeth("vethbench0", "eth0", podNs);
        var eth0 = pod.GetLink("eth0");
        times[1] = Lap();
        pod.AddAddress(eth0.Index, IPAddress.Parse("10.1.0.2"), 24);
        times[2] = Lap();
        pod.SetUp(eth0.Index);
        times[3] = Lap();
        pod.AddRoute(Route.To(IPNetwork.Parse("10.2.0.0/16")) with { Gateway = IPAddress.Parse("10.1.0.1"), OutputIndex = eth0.Index });
        times[4] = Lap();
        node.DeleteLink("vethbench0");
        times[5] = Lap();
        return times;
    }

    private static double[] IpCycle(string node, string pod)
    {
        string[][] commands =
        [
            [],
            ["-n", node, "link", "add", "vethbench0", "type", "veth", "peer", "name", "eth0", "netns", pod],
            ["-n", pod, "addr", "add", "10.1.0.2/24", "dev", "eth0"],
            ["-n", pod, "link", "set", "eth0", "up"],
            ["-n", pod, "route", "add", "10.2.0.0/16", "via", "10.1.0.1"],
            ["-n", node, "link", "del", "vethbench0"],
        ];
        var times = new double[Steps.Length];
        for (var s = 1; s < commands.Length; s++)
        {
            var watch = Stopwatch.StartNew();
            ProcessRunner.Check("ip", commands[s]);
            times[s] = watch.Elapsed.TotalMilliseconds;
        }

        return times;
    }
}
