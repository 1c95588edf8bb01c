using System.Diagnostics;
using System.Text.Json.Nodes;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// sluice-portmap ADD next to Debian's portmap (the reference plugin, its default iptables backend),
/// each chained after the same sluice-bridge in a node namespace of its own, interleaved. Every
/// sample gets a fresh pod namespace; the bridge's ADD before it (whose result becomes the
/// portmap's prevResult) and the DELs after it are not timed. Pods map one TCP and one UDP port,
/// as a DNS or ingress pod does. Also: the ADD of a pod without mappings (most pods; both pass
/// through), DEL, and ADD with 100 other pods' mappings already on the node.
/// <c>BENCH_COMPARE=path</c> interleaves another sluice-portmap (an earlier build) as a third subject.
/// </summary>
internal static class PortmapBench
{
    private const string Mappings = """[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":""},{"HostPort":5353,"ContainerPort":53,"Protocol":"udp","HostIP":""}]""";

    public static void Run(int runs)
    {
        var loadBefore = Report.LoadAverage();
        using var sluice = new Subject("sluice-portmap (auto: nftables)", RepoPaths.Binary("sluice-portmap"), """{"type":"sluice-portmap"}""", "10.62.0.0/16");
        using var reference = new Subject("portmap (Debian, iptables)", "/usr/lib/cni/portmap", """{"type":"portmap","snat":true}""", "10.63.0.0/16");

        // BENCH_COMPARE=path: another sluice-portmap (an earlier build), interleaved with the others.
        using var compare = Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } other
            ? new Subject($"sluice-portmap [{other}]", other, """{"type":"sluice-portmap"}""", "10.64.0.0/16")
            : null;
        Subject[] subjects = compare is null ? [sluice, reference] : [sluice, reference, compare];
        var add = subjects.Select(_ => new List<double>()).ToArray();
        var del = subjects.Select(_ => new List<double>()).ToArray();
        var none = subjects.Select(_ => new List<double>()).ToArray();
        var harness = new List<double>();
        for (var i = 0; i < runs + 3; i++)
        {
            // Rotate who goes first, so none always runs right after another's cleanup.
            foreach (var s in Enumerable.Range(0, subjects.Length).Select(k => (k + i) % subjects.Length))
            {
                var (addMs, delMs) = subjects[s].Sample($"seq-{i}", Mappings);
                var (noneMs, _) = subjects[s].Sample($"none-{i}", "[]");
                if (i >= 3)
                {
                    add[s].Add(addMs);
                    del[s].Add(delMs);
                    none[s].Add(noneMs);
                }
            }

            harness.Add(sluice.Harness());
        }

        var crowded = subjects.Select(s => s.AddWithOthers(100, Math.Max(20, runs / 5))).ToArray();
        var loadAfter = Report.LoadAverage();
        var stats = add.Select(Stats.Of).ToArray();
        var report = new Report("portmap", "Chained hostPort plugin: sluice-portmap ADD vs the reference portmap, after the same sluice-bridge");
        for (var s = 0; s < subjects.Length; s++)
        {
            report.Row(
                subjects[s].Label,
                Report.Ms(stats[s].Median),
                $"{Report.Ms(stats[s].P10)} / {Report.Ms(stats[s].P90)}",
                Report.Ms(Stats.Of(del[s]).Median),
                Report.Ms(Stats.Of(none[s]).Median),
                Report.Ms(crowded[s]));
        }

        report.Row(
            "**ratio sluice / reference**",
            $"{stats[0].Median / stats[1].Median:F2}",
            "",
            $"{Stats.Of(del[0]).Median / Stats.Of(del[1]).Median:F2}",
            $"{Stats.Of(none[0]).Median / Stats.Of(none[1]).Median:F2}",
            $"{crowded[0] / crowded[1]:F2}");
        if (compare is not null)
        {
            report.Row(
                "**ratio sluice / compared build**",
                $"{stats[0].Median / stats[2].Median:F2}",
                "",
                $"{Stats.Of(del[0]).Median / Stats.Of(del[2]).Median:F2}",
                $"{Stats.Of(none[0]).Median / Stats.Of(none[2]).Median:F2}",
                $"{crowded[0] / crowded[2]:F2}");
        }

        report.Row("*harness: /bin/true started the same way*", Report.Ms(Stats.Of(harness).Median), "", "", "", "");
        report.Write(
            ["plugin", "ADD median ms", "ADD p10 / p90 ms", "DEL median ms", "ADD without mappings ms", "ADD ms with 100 other pods mapped"],
            $"{runs} samples per subject (after 3 warm-up rounds), interleaved, each call a process forked inside its node namespace as a runtime execs it, " +
            "a fresh pod namespace per sample; the pod maps tcp 8080→80 and udp 5353→53 (IPv4). The bridge's ADD (which gives the prevResult) and the cleanup are not timed. " +
            $"Crowded: median of {Math.Max(20, runs / 5)} ADDs while 100 other pods hold one mapping each. " +
            $"1-minute load average {loadBefore} at the start, {loadAfter} at the end ({Environment.ProcessorCount} CPUs, shared machine). Command: `bench/run.sh portmap {runs}`.");
    }

    /// <summary>A node namespace with sluice-bridge and one portmap plugin chained after it.</summary>
    private sealed class Subject : IDisposable
    {
        private readonly PluginNode _node;
        private readonly string _portmap;
        private readonly string _portmapEntry;

        public Subject(string label, string portmap, string portmapEntry, string subnet)
        {
            Label = label;
            _portmap = portmap;
            _portmapEntry = portmapEntry;
            _node = new PluginNode(label, RepoPaths.Binary("sluice-bridge"), PluginNode.SluiceConfig(subnet));
        }

        public string Label { get; }

        /// <summary>Bridge ADD (untimed), portmap ADD (timed), portmap DEL (timed), bridge DEL (untimed), on a fresh pod namespace.</summary>
        public (double Add, double Del) Sample(string containerId, string mappings)
        {
            using var pod = TestNetns.Create("bpm");
            var prevResult = Bridge("ADD", containerId, pod.Path);
            var add = Portmap("ADD", containerId, pod.Path, mappings, prevResult);
            var del = Portmap("DEL", containerId, pod.Path, mappings, prevResult);
            Bridge("DEL", containerId, pod.Path);
            return (add, del);
        }

        /// <summary>Median portmap ADD while <paramref name="others"/> pods each hold a mapping.</summary>
        public double AddWithOthers(int others, int samples)
        {
            var pods = new List<(TestNetns Ns, string Id, string Mapping, string Prev)>();
            try
            {
                for (var i = 0; i < others; i++)
                {
                    var ns = TestNetns.Create("bpo");
                    var id = $"other-{i}";
                    var mapping = $$"""[{"HostPort":{{20000 + i}},"ContainerPort":80,"Protocol":"tcp","HostIP":""}]""";
                    pods.Add((ns, id, mapping, Bridge("ADD", id, ns.Path)));
                    Portmap("ADD", id, ns.Path, mapping, pods[^1].Prev);
                }

                var times = new List<double>();
                for (var i = 0; i < samples; i++)
                {
                    times.Add(Sample($"crowded-{i}", Mappings).Add);
                }

                return Stats.Of(times).Median;
            }
            finally
            {
                foreach (var (ns, id, mapping, prev) in pods)
                {
                    Portmap("DEL", id, ns.Path, mapping, prev);
                    Bridge("DEL", id, ns.Path);
                    ns.Dispose();
                }
            }
        }

        /// <summary>What the harness itself costs per call: /bin/true forked inside the node namespace the same way.</summary>
        public double Harness()
        {
            Exec("/bin/true", "VERSION", "harness", "", "", out var elapsed);
            return elapsed;
        }

        public void Dispose() => _node.Dispose();

        private string Bridge(string command, string containerId, string netns)
        {
            var result = Exec(_node.Binary, command, containerId, netns, _node.Config, out _);
            return command == "ADD" ? result : "";
        }

        private double Portmap(string command, string containerId, string netns, string mappings, string prevResult)
        {
            var config = JsonNode.Parse(_portmapEntry)!.AsObject();
            config["cniVersion"] = "1.0.0";
            config["name"] = "benchnet";
            config["runtimeConfig"] = new JsonObject { ["portMappings"] = JsonNode.Parse(mappings) };
            config["prevResult"] = JsonNode.Parse(prevResult);
            Exec(_portmap, command, containerId, netns, config.ToJsonString(), out var elapsed);
            return elapsed;
        }

        private string Exec(string binary, string command, string containerId, string netns, string config, out double elapsed)
        {
            var env = new CniInvocation(command, containerId, netns, "eth0", "", $"{RepoPaths.BinDirectory}:/usr/lib/cni").Environment();
            var watch = Stopwatch.StartNew();
            var result = ProcessRunner.RunIn(_node.NodeNs, binary, env, config);
            elapsed = watch.Elapsed.TotalMilliseconds;
            return result.ExitCode == 0 ? result.Stdout : throw new InvalidOperationException($"{Label}: {Path.GetFileName(binary)} {command} {containerId} failed: {result}");
        }
    }
}
