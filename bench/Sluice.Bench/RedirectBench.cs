using System.Diagnostics;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// The ADD of sluice-redirect for an Istio-injected pod, next to what istio-cni does for the same
/// pod, interleaved in one run. sluice-redirect is the published binary, exec'd as a runtime does,
/// looking the pod up through sluice-agent's socket (the agent's cache is filled from the fake API
/// server on loopback) or, without the agent, through <c>sluice-kube get-pod</c> over HTTPS (bearer
/// token) on that server, and installing the istio policy with the native nftables backend. The Istio-like baseline is the rule part
/// alone, as istio-cni runs it: <c>nsenter --net=…</c> execs of iptables-save (before),
/// iptables-restore and ip6tables-restore (the same rules, rendered by the iptables backend) and
/// iptables-save (after). Each sample gets a new pod namespace with loopback up, as a runtime
/// hands it to the chain; creating it is not timed.
/// </summary>
internal static class RedirectBench
{
    private const string Namespace = "bookinfo";

    public static void Run(int runs)
    {
        using var dir = new TempDirectory("bench-redirect");
        var api = FakeKubeApi.StartAsync().GetAwaiter().GetResult();
        try
        {
            Run(runs, api, dir);
        }
        finally
        {
            api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static void Run(int runs, FakeKubeApi api, TempDirectory dir)
    {
        api.SetPod(Namespace, "reviews", SamplePods.Istio(Namespace, "reviews"));
        api.SetPod(Namespace, "batch", SamplePods.Plain(Namespace, "batch"));
        var kubeconfig = api.WriteKubeconfig(dir.Combine("kubeconfig"));
        var redirect = RepoPaths.Binary("sluice-redirect");
        var (rules4, rules6) = IstioRules();

        using var agent = AgentForLookups(dir, kubeconfig);
        var socket = dir.Combine("run/pods.sock");
        (string Label, Func<TestNetns, int> Add)[] subjects =
        [
            ("sluice-redirect ADD, Istio pod, lookup through sluice-agent (Unix socket) + nft rules", ns => Plugin(redirect, kubeconfig, ns, "reviews", socket)),
            ("sluice-redirect ADD, plain pod, lookup through sluice-agent", ns => Plugin(redirect, kubeconfig, ns, "batch", socket)),
            ("sluice-redirect ADD, Istio pod, lookup over HTTPS (sluice-kube get-pod) + nft rules", ns => Plugin(redirect, kubeconfig, ns, "reviews", "")),
            ($"sluice-redirect ADD, Istio pod, lookup over HTTPS + nft rules, SSL_CERT_FILE/SSL_CERT_DIR naming the Debian trust store ({TrustStoreCertificates()} certificates)", ns => Plugin(redirect, kubeconfig, ns, "reviews", "", TrustStore)),
            ("sluice-redirect ADD, Istio pod, lookup over HTTPS + nft rules, Debian trust store, runtimeLoopback before-chain (CRI-O's default by auto)", ns => Plugin(redirect, kubeconfig, ns, "reviews", "", TrustStore, BeforeChain)),
            ("sluice-redirect ADD, Istio pod, lookup through sluice-agent + nft rules, runtimeLoopback before-chain", ns => Plugin(redirect, kubeconfig, ns, "reviews", socket, runtimeLoopback: BeforeChain)),
            ("sluice-redirect ADD, plain pod, lookup over HTTPS (sluice-kube get-pod)", ns => Plugin(redirect, kubeconfig, ns, "batch", "")),
            ("sluice-redirect ADD, no pod in CNI_ARGS (start-up and pass-through)", ns => Plugin(redirect, kubeconfig, ns, null, "")),
            ("Istio-like: nsenter + iptables-save, iptables-restore, ip6tables-restore, iptables-save", ns => IstioLike(ns, rules4, rules6)),
            ("*harness: /bin/true started the same way*", _ => Process("/bin/true", [], null)),
        ];

        if (Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } other)
        {
            subjects =
            [
                .. subjects,
                ($"{subjects[0].Label} [{other}]", ns => Plugin(other, kubeconfig, ns, "reviews", socket)),
                ($"{subjects[1].Label} [{other}]", ns => Plugin(other, kubeconfig, ns, "batch", socket)),
                ($"{Subject(subjects, "no pod in CNI_ARGS")} [{other}]", ns => Plugin(other, kubeconfig, ns, null, "")),
            ];
        }

        if (Environment.GetEnvironmentVariable("BENCH_ONLY") is { Length: > 0 } only)
        {
            Profile(subjects.Where(subject => subject.Label.Contains(only, StringComparison.OrdinalIgnoreCase)).ToArray(), runs);
            return;
        }

        var samples = subjects.Select(_ => new List<double>()).ToArray();
        var executions = new int[subjects.Length];
        for (var i = 0; i < runs + 3; i++)
        {
            for (var s = 0; s < subjects.Length; s++)
            {
                using var ns = PodNamespace();
                var watch = Stopwatch.StartNew();
                executions[s] = subjects[s].Add(ns);
                if (i >= 3)
                {
                    samples[s].Add(watch.Elapsed.TotalMilliseconds);
                }
            }
        }

        var report = new Report("redirect", "Chained plugin: sluice-redirect ADD vs istio-cni's way, Istio-injected pod (IPv4 + IPv6)");
        var baseline = Stats.Of(samples[Array.FindIndex(subjects, s => s.Label.StartsWith("Istio-like", StringComparison.Ordinal))]).Median;
        for (var s = 0; s < subjects.Length; s++)
        {
            var stats = Stats.Of(samples[s]);
            report.Row(subjects[s].Label, Report.Ms(stats.Median), Report.Ms(stats.P90), executions[s].ToString(System.Globalization.CultureInfo.InvariantCulture), $"{stats.Median / baseline:F2}");
        }

        report.Write(
            ["way", "median ms", "p90 ms", "processes executed", "vs Istio-like"],
            $"{runs} samples each, interleaved; each sample is a new pod namespace with loopback up, as the runtime leaves it before the chain (creation not timed) and with no loopback result cached: " +
            "the subjects without runtimeLoopback run with its default, auto, which from this (non-CRI-O) caller waits up to 20 ms for a loopback step beside the chain before the passthrough address ::6 goes on lo, " +
            "as containerd 2.x with use_internal_loopback does unless told before-chain; CRI-O is recognised and runs as before-chain. The agent runs as the published sluice-agent (NODE_NAME=node-a, its cache filled by list and watch). The fake API server " +
            "(Kestrel, HTTPS, bearer token) runs in the benchmark process on 127.0.0.1 and serves the pod as JSON an API server would. " +
            $"The baseline applies the same istio preset through iptables-nft ({rules4.Split('\n').Length + rules6.Split('\n').Length} lines of " +
            $"restore input) and does not look the pod up at all. Command: `bench/run.sh redirect {runs}`.");
    }

    /// <summary>The label of the one subject whose label holds <paramref name="text"/>.</summary>
    private static string Subject((string Label, Func<TestNetns, int> Add)[] subjects, string text) =>
        subjects.Single(subject => subject.Label.Contains(text, StringComparison.Ordinal)).Label;

    /// <summary>
    /// A pod's namespace as a chained plugin usually finds it: loopback up (CRI-O and containerd's
    /// internal loopback bring it up before the chain; go-cni's loopback plugin runs beside the
    /// chain and is normally done by the time the last plugin runs). Not timed.
    /// </summary>
    private static TestNetns PodNamespace()
    {
        var ns = TestNetns.Create("bred");
        using var handle = ns.Open();
        using var rtnl = Rtnl.OpenIn(handle);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
        return ns;
    }

    /// <summary>
    /// <c>BENCH_ONLY=text</c>: only the subjects whose label holds the text, for a profiler run
    /// (<c>perf record -a -g -- env BENCH_ONLY=agent bench/run.sh redirect 300</c>); medians on
    /// stdout, bench/results left as it is. <c>BENCH_COMPARE=path</c> adds the agent and
    /// pass-through subjects run with another sluice-redirect binary, interleaved with ours (an A/B
    /// of a change); combined with BENCH_ONLY, the subjects run one after the other instead.
    /// </summary>
    private static void Profile((string Label, Func<TestNetns, int> Add)[] subjects, int runs)
    {
        foreach (var (label, add) in subjects)
        {
            var samples = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                using var ns = PodNamespace();
                var watch = Stopwatch.StartNew();
                add(ns);
                samples.Add(watch.Elapsed.TotalMilliseconds);
            }

            Console.WriteLine($"{label}: median {Report.Ms(Stats.Of(samples).Median)} ms over {runs}");
        }
    }

    /// <summary>The published sluice-agent for node-a, answering pod lookups; its CNI directories are empty (it only waits there).</summary>
    private static AgentProcess AgentForLookups(TempDirectory dir, string kubeconfig)
    {
        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { UseShellExecute = false, RedirectStandardError = true };
        start.Environment["CNI_BIN_DIR"] = dir.Combine("bin");
        start.Environment["CNI_CONF_DIR"] = dir.Combine("net.d");
        start.Environment["SOURCE_DIR"] = Directory.CreateDirectory(dir.Combine("src")).FullName;
        start.Environment["RUN_DIR"] = dir.Combine("run");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["NODE_NAME"] = "node-a";
        start.Environment["HEALTH_PORT"] = "0";
        var agent = new AgentProcess(System.Diagnostics.Process.Start(start)!);
        var watch = Stopwatch.StartNew();
        while (!File.Exists(dir.Combine("run/pods.sock")))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException("sluice-agent did not open its pod lookup socket");
            }

            Thread.Sleep(10);
        }

        Thread.Sleep(500);
        return agent;
    }

    private sealed class AgentProcess(System.Diagnostics.Process process) : IDisposable
    {
        private readonly Task<string> _log = process.StandardError.ReadToEndAsync();

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            _ = _log.Result;
            process.Dispose();
        }
    }

    /// <summary>OpenSSL's variables as this machine's environment has them (and containerd may pass them to plugins): the Debian store.</summary>
    private static readonly Dictionary<string, string> TrustStore = new() { ["SSL_CERT_FILE"] = "/etc/ssl/certs/ca-certificates.crt", ["SSL_CERT_DIR"] = "/etc/ssl/certs" };

    private static int TrustStoreCertificates() =>
        File.ReadLines(TrustStore["SSL_CERT_FILE"]).Count(line => line.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal));

    /// <summary>
    /// sluice-redirect's <c>runtimeLoopback</c> for a runtime that brings lo up before the chain, as
    /// this bench's pods are handed over: no settling wait for the passthrough address. Without it
    /// (<c>auto</c>, the bench not being CRI-O) each ADD waits the 20 ms for a loopback step beside the chain.
    /// Only these subjects name the key, so that <c>BENCH_COMPARE</c> can run a build that predates it.
    /// </summary>
    private const string BeforeChain = "before-chain";

    private static int Plugin(string binary, string kubeconfig, TestNetns ns, string? pod, string agentSocket, Dictionary<string, string>? extraEnvironment = null, string? runtimeLoopback = null)
    {
        var config = $$"""
            {"cniVersion":"1.0.0","name":"podnet","type":"sluice-redirect","profile":"istio","backend":"nft"{{(runtimeLoopback is null ? "" : $",\"runtimeLoopback\":\"{runtimeLoopback}\"")}},
             "kubernetes":{"kubeconfig":"{{kubeconfig}}","agentSocket":"{{agentSocket}}"},
             "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"{{ns.Path}}"}],"ips":[{"address":"10.44.0.7/24","gateway":"10.44.0.1","interface":0}]} }
            """;
        var args = pod is null ? "" : $"IgnoreUnknown=1;K8S_POD_NAMESPACE={Namespace};K8S_POD_NAME={pod};K8S_POD_INFRA_CONTAINER_ID=bench";
        var environment = new CniInvocation("ADD", "bench-" + ns.Name, ns.Path, "eth0", args).Environment();
        foreach (var (name, value) in extraEnvironment ?? [])
        {
            environment[name] = value;
        }

        var result = ProcessRunner.Run(binary, environment, config);
        // Without the agent, sluice-redirect runs sluice-kube for the lookup: two processes.
        var processes = pod is not null && agentSocket.Length == 0 ? 2 : 1;
        return result.ExitCode == 0 ? processes : throw new InvalidOperationException($"sluice-redirect ADD failed: {result}");
    }

    private static int IstioLike(TestNetns ns, string rules4, string rules6)
    {
        var net = "--net=" + ns.Path;
        Process("nsenter", [net, "iptables-nft-save"], null);
        Process("nsenter", [net, "iptables-nft-restore", "--noflush"], rules4);
        Process("nsenter", [net, "ip6tables-nft-restore", "--noflush"], rules6);
        Process("nsenter", [net, "iptables-nft-save"], null);
        return 4;
    }

    private static int Process(string file, string[] arguments, string? stdin)
    {
        var result = ProcessRunner.Run(file, new Dictionary<string, string>(), stdin, arguments);
        return result.ExitCode == 0 ? 1 : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {result}");
    }

    /// <summary>The iptables-restore input of the istio preset, per family, as the iptables backend renders it.</summary>
    private static (string V4, string V6) IstioRules()
    {
        var text = CaptureEngine.Render(CapturePresets.Istio, CaptureBackendKind.Iptables);
        var split = text.IndexOf("# ip6tables-restore", StringComparison.Ordinal);
        return split < 0
            ? throw new InvalidOperationException("the dry run has no ip6tables-restore part:\n" + text)
            : (text[..split], text[split..]);
    }
}
