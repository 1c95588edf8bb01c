using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sluice.Linux.Rtnetlink;
using Sluice.Reliability.Tests.Lab;

namespace Sluice.Reliability.Tests;

/// <summary>
/// Property: whatever configuration and environment a plugin is given, it ends with exit 0, or
/// with a non-zero exit and a CNI error object on stdout; never a signal, never a stack trace,
/// never a hang, and a failed call leaves nothing behind (no veth, no address, no rule).
/// Over 10,000 seeded mutations of valid calls to sluice-bridge, sluice-ipam and sluice-redirect,
/// three workers, each with its own node namespace, pod and store.
/// </summary>
public sealed class MalformedInputTests
{
    private const int Workers = 3;
    private const int RunsPerWorker = 3_400;
    private const int Seed = 20_260_9;
    private const int ExamplesKept = 8;

    private static readonly (string Plugin, int Weight)[] Plugins = [("sluice-bridge", 40), ("sluice-ipam", 30), ("sluice-redirect", 30)];

    private static readonly (string Command, int Weight)[] Commands = [("ADD", 50), ("DEL", 12), ("CHECK", 12), ("STATUS", 10), ("GC", 8), ("VERSION", 8)];

    [RootFact]
    public async Task MutatedConfigsAndEnvironments_EndInResultsOrErrorObjects_NeverCrashesOrPartialState()
    {
        var labs = Enumerable.Range(0, Workers).Select(w => new NodeLab($"10.{60 + w}.0.0/24", $"fd{60 + w}::/64")).ToList();
        try
        {
            await using var api = await FakeKubeApi.StartAsync([.. labs.Select(l => l.NodeNs)]);
            api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
            var kubeconfig = api.WriteKubeconfig(Path.Combine(labs[0].Directory, "kubeconfig"));
            var findings = new Findings();
            var watch = System.Diagnostics.Stopwatch.StartNew();

            Parallel.For(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Workers }, w =>
                new Worker(labs[w], kubeconfig, new Mutator(Seed + w), findings).Run(RunsPerWorker));

            Figures.Report("malformed-input", [
                ("runs", findings.Runs), ("exit0", findings.Succeeded), ("error_objects", findings.ErrorObjects),
                ("crashes", findings.Count("crash")), ("stack_traces", findings.Count("stack trace")), ("hangs", findings.Count("hang")),
                ("not_an_error_object", findings.Count("not an error object")), ("internal_errors_999", findings.Count("internal error")),
                ("leaks", findings.Count("partial state")), ("workers", Workers), ("duration", watch.Elapsed)],
                findings.Describe());

            Assert.True(findings.Runs >= 10_000, $"only {findings.Runs} runs");
            Assert.True(findings.Problems == 0, findings.Describe());

            // Mutations that all fail before doing anything, or all succeed, would test little.
            Assert.True(findings.Succeeded > findings.Runs / 20 && findings.ErrorObjects > findings.Runs / 4, findings.Describe());
        }
        finally
        {
            labs.ForEach(l => l.Dispose());
        }
    }

    /// <summary>One worker's runs, one after another, in its own node.</summary>
    private sealed class Worker(NodeLab lab, string kubeconfig, Mutator mutator, Findings findings)
    {
        private readonly TestNetns _pod = lab.NewPod("mpod");
        private string _nodeRules = "";
        private string _podRules = "";

        public void Run(int runs)
        {
            using var podNs = _pod.Open();
            _nodeRules = Rules(lab.Node);
            _podRules = Rules(_pod);
            for (var i = 0; i < runs; i++)
            {
                var plugin = Weighted(Plugins);
                var command = Weighted(Commands);
                var env = NodeLab.Env(command, $"m{i}", _pod.Path, "eth0", plugin == "sluice-redirect" ? NodeLab.PodArgs : "");
                var config = BaseConfig(plugin, command);
                byte[] stdin;
                if (mutator.Next(100) < 85)
                {
                    stdin = mutator.MutateConfig(config);
                    env = mutator.MutateEnvironment(env);
                }
                else
                {
                    stdin = Encoding.UTF8.GetBytes(config);
                    mutator.Applied.Clear();
                    while (mutator.Applied.Count == 0)
                    {
                        env = mutator.MutateEnvironment(env);
                    }
                }

                var what = $"{plugin} {command} [{string.Join("; ", mutator.Applied)}]";
                var outcome = lab.Run(plugin, env, stdin, TimeSpan.FromSeconds(20));
                findings.Classify(what, outcome);
                var added = outcome.ExitCode == 0 && env.GetValueOrDefault("CNI_COMMAND") == "ADD";
                if (added)
                {
                    Undo(plugin, env, stdin, config, what);
                }

                CheckNothingLeft(podNs, what, outcome, checkRules: added || env.GetValueOrDefault("CNI_COMMAND") == "ADD");
            }
        }

        private string BaseConfig(string plugin, string command)
        {
            var config = plugin switch
            {
                "sluice-bridge" => lab.BridgeConfig(),
                "sluice-ipam" => lab.IpamConfig(),
                _ => NodeLab.WithPrevResult(NodeLab.RedirectConfig(kubeconfig), PrevResult(_pod.Path)),
            };
            return command switch
            {
                "GC" => config.TrimEnd()[..^1] + ",\"cni.dev/valid-attachments\":[{\"containerID\":\"m1\",\"ifname\":\"eth0\"}]}",
                "CHECK" or "DEL" when plugin != "sluice-redirect" => NodeLab.WithPrevResult(config, PrevResult(_pod.Path)),
                _ => config,
            };
        }

        private static string PrevResult(string sandbox) =>
            $$$"""{"cniVersion":"1.1.0","interfaces":[{"name":"sluice0"},{"name":"veth0a1b2c3d"},{"name":"eth0","mac":"0a:58:0a:2d:00:07","sandbox":"{{{sandbox}}}"}],"ips":[{"address":"10.60.0.7/24","gateway":"10.60.0.1","interface":2}],"routes":[{"dst":"0.0.0.0/0","gw":"10.60.0.1"}],"dns":{}}""";

        /// <summary>A mutated ADD that succeeded is a pod: DEL it as the runtime would (its own input, then the valid one as a fallback).</summary>
        private void Undo(string plugin, Dictionary<string, string> env, byte[] stdin, string config, string what)
        {
            var del = new Dictionary<string, string>(env) { ["CNI_COMMAND"] = "DEL" };
            if (lab.Run(plugin, del, stdin, TimeSpan.FromSeconds(20)).ExitCode != 0)
            {
                var fallback = lab.Run(plugin, del, Encoding.UTF8.GetBytes(config), TimeSpan.FromSeconds(20));
                if (fallback.ExitCode != 0)
                {
                    findings.Add("partial state", what, $"DEL after a successful ADD failed: {fallback}");
                }
            }
        }

        private void CheckNothingLeft(Sluice.Linux.Namespaces.NetNs podNs, string what, PluginRun.Outcome outcome, bool checkRules)
        {
            var left = lab.VethLinks().Select(v => "veth " + v)
                .Concat(lab.LinksBesidesLoopback(podNs).Select(l => "pod link " + l))
                .Concat(lab.StoreLeftovers().Select(f => "store " + f))
                .ToList();
            if (checkRules)
            {
                var nodeRules = Rules(lab.Node);
                var podRules = Rules(_pod);
                if (outcome.ExitCode != 0 && nodeRules != _nodeRules)
                {
                    left.Add("node rules changed:\n" + FaultInjectionTests.Diff(_nodeRules, nodeRules));
                }

                if (podRules != _podRules)
                {
                    left.Add("pod rules changed:\n" + FaultInjectionTests.Diff(_podRules, podRules));
                }

                // A successful ADD may add its network's rules on the node (they stay by design).
                _nodeRules = nodeRules;
            }

            if (left.Count > 0)
            {
                findings.Add("partial state", what, $"{string.Join("\n", left)}\nafter: {outcome}");
                Reset();
            }
        }

        /// <summary>Removes what a run left so the next runs are judged on their own.</summary>
        private void Reset()
        {
            using (var rtnl = Rtnl.OpenIn(lab.NodeNs))
            {
                foreach (var veth in lab.VethLinks().Concat(lab.ReleasedVeths().Select(l => l.Name)))
                {
                    rtnl.DeleteLink(veth);
                }
            }

            _pod.TryExec("nft", "flush", "ruleset");
            foreach (var file in lab.StoreLeftovers())
            {
                File.Delete(Path.Combine(lab.DataDir, file));
            }

            _nodeRules = Rules(lab.Node);
            _podRules = Rules(_pod);
        }

        private static string Rules(TestNetns ns) => ns.Exec("nft", "-s", "list", "ruleset");

        private string Weighted((string Name, int Weight)[] choices)
        {
            var roll = mutator.Next(choices.Sum(c => c.Weight));
            foreach (var (name, weight) in choices)
            {
                if ((roll -= weight) < 0)
                {
                    return name;
                }
            }

            return choices[^1].Name;
        }
    }

    /// <summary>What all workers saw: counts, and a few examples of every kind of problem.</summary>
    private sealed class Findings
    {
        private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _examples = new(StringComparer.Ordinal);
        private int _runs;
        private int _succeeded;
        private int _errorObjects;

        public int Runs => _runs;

        public int Succeeded => _succeeded;

        public int ErrorObjects => _errorObjects;

        public int Problems => _counts.Values.Sum();

        public int Count(string kind) => _counts.GetValueOrDefault(kind);

        public void Classify(string what, PluginRun.Outcome outcome)
        {
            Interlocked.Increment(ref _runs);
            var output = outcome.Stdout + outcome.Stderr;
            if (outcome.TimedOut)
            {
                Add("hang", what, outcome.ToString());
            }
            else if (outcome.ExitCode >= PluginRun.SignalBase)
            {
                Add("crash", what, outcome.ToString());
            }

            if (output.Contains("   at ", StringComparison.Ordinal) || output.Contains("Unhandled exception", StringComparison.Ordinal))
            {
                Add("stack trace", what, outcome.ToString());
            }

            if (outcome.ExitCode == 0)
            {
                Interlocked.Increment(ref _succeeded);
                if (outcome.Stdout.Length > 0 && !IsJsonObject(outcome.Stdout))
                {
                    Add("not an error object", what, "exit 0 with something other than JSON on stdout: " + outcome);
                }
            }
            else if (ErrorCode(outcome.Stdout) is not { } code)
            {
                Add("not an error object", what, outcome.ToString());
            }
            else
            {
                Interlocked.Increment(ref _errorObjects);
                if (code == Sluice.Cni.CniErrorCode.Internal)
                {
                    Add("internal error", what, outcome.ToString());
                }
            }
        }

        public void Add(string kind, string what, string details)
        {
            _counts.AddOrUpdate(kind, 1, (_, n) => n + 1);
            var examples = _examples.GetOrAdd(kind, _ => new ConcurrentQueue<string>());
            if (examples.Count < ExamplesKept)
            {
                examples.Enqueue($"{what}\n{(details.Length > 3000 ? details[..3000] + " …" : details)}");
            }
        }

        public string Describe()
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"runs {Runs}, exit 0: {Succeeded}, error objects: {ErrorObjects}\n");
            foreach (var (kind, examples) in _examples)
            {
                text.Append(CultureInfo.InvariantCulture, $"== {kind}: {Count(kind)}\n").AppendJoin("\n--\n", examples).Append('\n');
            }

            return text.ToString();
        }

        private static bool IsJsonObject(string text)
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.ValueKind == JsonValueKind.Object;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>The code of a CNI error object (cniVersion, code, msg), or null when <paramref name="stdout"/> is not one.</summary>
        private static int? ErrorCode(string stdout)
        {
            try
            {
                using var document = JsonDocument.Parse(stdout);
                var root = document.RootElement;
                return root.ValueKind == JsonValueKind.Object &&
                    root.TryGetProperty("cniVersion", out var version) && version.ValueKind == JsonValueKind.String &&
                    root.TryGetProperty("msg", out var msg) && msg.ValueKind == JsonValueKind.String &&
                    root.TryGetProperty("code", out var code) && code.TryGetInt32(out var number)
                    ? number
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}
