using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Sluice.Agent.Tests;

/// <summary>
/// The published sluice-agent as the DaemonSet runs it (settings from the environment), against
/// host-like directories in a temporary directory and the fake API server's kubeconfig.
/// </summary>
public sealed class AgentProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new("agent-process");
    private FakeKubeApi _api = null!;
    private Process? _agent;
    private Task<string>? _stderr;

    private string BinDir => _dir.Combine("opt/cni/bin");

    private string ConfDir => _dir.Combine("etc/cni/net.d");

    private string RunDir => _dir.Combine("var/run/sluice");

    private string SourceDir => _dir.Combine("opt/sluice/bin");

    private string Primary => Path.Combine(ConfDir, "10-bridge.conflist");

    private string TokenFile => _dir.Combine("token");

    public async ValueTask InitializeAsync()
    {
        _api = await FakeKubeApi.StartAsync();
        Directory.CreateDirectory(ConfDir);
        Directory.CreateDirectory(SourceDir);
        File.Copy(RepoPaths.Binary("sluice-redirect"), Path.Combine(SourceDir, "sluice-redirect"));
        _api.WriteTokenFile(TokenFile);
        _api.WriteKubeconfig(_dir.Combine("agent-kubeconfig"), tokenFile: TokenFile);
        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0"}]}""");
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is { HasExited: false })
        {
            _agent.Kill();
            await _agent.WaitForExitAsync();
        }

        _agent?.Dispose();
        await _api.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>The agent's environment as the DaemonSet sets it, for these directories.</summary>
    private Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["CNI_BIN_DIR"] = BinDir,
            ["CNI_CONF_DIR"] = ConfDir,
            ["SOURCE_DIR"] = SourceDir,
            ["RUN_DIR"] = RunDir,
            ["KUBECONFIG"] = _dir.Combine("agent-kubeconfig"),
            ["NODE_NAME"] = "node-a",
            ["HEALTH_PORT"] = "0",
            ["PROFILE"] = "istio",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    private void Start(params (string Key, string Value)[] extra) => Start([], extra);

    private void Start(string[] arguments, params (string Key, string Value)[] extra)
    {
        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        foreach (var (key, value) in Environment(extra))
        {
            start.Environment[key] = value;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _agent?.Dispose();
        _agent = Process.Start(start)!;
        _stderr = _agent.StandardError.ReadToEndAsync();
    }

    private bool NothingInstalled() =>
        !File.ReadAllText(Primary).Contains("sluice-redirect", StringComparison.Ordinal)
        && !File.Exists(Path.Combine(BinDir, "sluice-redirect"))
        && !File.Exists(Path.Combine(RunDir, "sluice-kubeconfig"));

    private string StopAndLog()
    {
        ProcessRunner.Check("kill", "-TERM", _agent!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(_agent.WaitForExit(Patience), "the agent did not stop on SIGTERM");
        Assert.Equal(0, _agent.ExitCode);
        return _stderr!.Result;
    }

    private static TimeSpan Until(Func<bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < Patience, $"not within {Patience}: {what}");
            Thread.Sleep(5);
        }

        return watch.Elapsed;
    }

    private bool Installed() =>
        File.Exists(Primary) && File.ReadAllText(Primary) is var text && text.Contains("sluice-redirect", StringComparison.Ordinal) &&
        JsonNode.Parse(text)!["plugins"]!.AsArray()[^1]!["type"]!.GetValue<string>() == "sluice-redirect";

    [RootFact]
    public void Agent_RewritesRemovalsAndRotation_PutsEverythingBackKeepsItOnSigtermAndUninstallRemovesIt()
    {
        Start();
        Until(Installed, "the entry in the primary configuration");
        Until(() => File.Exists(Path.Combine(BinDir, "sluice-redirect")), "the binary");
        Until(() => File.Exists(Path.Combine(RunDir, "sluice-kubeconfig")), "the plugins' kubeconfig");
        Assert.Contains("fake-token-1", File.ReadAllText(Path.Combine(RunDir, "sluice-kubeconfig")), StringComparison.Ordinal);

        // Another component rewrites the file without us; a removed binary; a rotated token.
        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0","mtu":1400}]}""");
        Until(Installed, "re-insertion after a rewrite");
        Assert.Contains("1400", File.ReadAllText(Primary), StringComparison.Ordinal);
        File.Delete(Path.Combine(BinDir, "sluice-redirect"));
        Until(() => File.Exists(Path.Combine(BinDir, "sluice-redirect")), "the binary back");
        _api.Token = "fake-token-2";
        _api.WriteTokenFile(TokenFile);
        Until(() => File.ReadAllText(Path.Combine(RunDir, "sluice-kubeconfig")).Contains("fake-token-2", StringComparison.Ordinal), "the rotated token");

        // A restart or an upgrade: everything stays for the next agent (on 493b7e3 SIGTERM removed it).
        var log = StopAndLog();
        Assert.True(Installed(), log);
        Assert.True(File.Exists(Path.Combine(BinDir, "sluice-redirect")), log);
        Assert.True(File.Exists(Path.Combine(RunDir, "sluice-kubeconfig")), log);
        Assert.Contains("had lost sluice-redirect", log, StringComparison.Ordinal);
        Assert.Contains("stay in place for the next agent", log, StringComparison.Ordinal);

        // The uninstall removes it, keeps the primary's own settings, and finds nothing the second time.
        var uninstall = ProcessRunner.Run(RepoPaths.Binary("sluice-agent"), Environment(), arguments: ["uninstall"]);
        Assert.True(uninstall.ExitCode == 0, uninstall.ToString());
        Assert.True(NothingInstalled(), uninstall.ToString());
        Assert.Contains("\"mtu\": 1400", File.ReadAllText(Primary), StringComparison.Ordinal);
        Assert.Contains("removed sluice-redirect from " + Primary, uninstall.Stderr, StringComparison.Ordinal);
        var again = ProcessRunner.Run(RepoPaths.Binary("sluice-agent"), Environment(), arguments: ["uninstall"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.DoesNotContain("removed", again.Stderr, StringComparison.Ordinal);
    }

    [RootFact]
    public async Task Readyz_PrimaryConfigurationAppearsAfterStart_Is503ThenTurns200WithTheReadyMetric()
    {
        File.Delete(Primary);
        var port = FreePort();
        Start(("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Until(() => Status(http, "/healthz") == 200, "/healthz");
        Assert.Equal(503, Status(http, "/readyz"));

        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge"}]}""");
        Until(() => Status(http, "/readyz") == 200, "ready once the entry is in place");
        var metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("sluice_agent_ready 1", metrics, StringComparison.Ordinal);
        StopAndLog();
    }

    private static int Status(HttpClient http, string path)
    {
        try
        {
            using var response = http.GetAsync(path).GetAwaiter().GetResult();
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [RootFact]
    public void KeepOnExitFalse_Sigterm_RemovesEverything()
    {
        Start(("KEEP_ON_EXIT", "false"));
        Until(Installed, "the entry");
        Until(() => File.Exists(Path.Combine(RunDir, "sluice-kubeconfig")), "the plugins' kubeconfig");

        var log = StopAndLog();

        Assert.True(NothingInstalled(), log);
    }

    [RootFact]
    public void UninstallKeepRunning_FilesLeftByAnAgent_RemovesThemReportsReadyRemovesAgainAndStopsOnSigterm()
    {
        Start();
        Until(Installed, "the entry");
        Until(() => File.Exists(Path.Combine(RunDir, "sluice-kubeconfig")), "the plugins' kubeconfig");
        StopAndLog();
        var port = FreePort();

        Start(["uninstall", "--keep-running", "true"], ("HEALTH_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Until(() => Status(http, "/readyz") == 200, "ready once uninstalled");
        Assert.True(NothingInstalled());

        // An entry written after the first pass (an old agent still stopping) goes too.
        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge"},{"type":"sluice-redirect"}]}""");
        Until(NothingInstalled, "the late entry removed");
        var log = StopAndLog();
        Assert.Contains("nothing of Sluice's is left on this node", log, StringComparison.Ordinal);
    }

    /// <summary>What the runtime reads: the lexically first .conf, .conflist or .json file (empty while there is none).</summary>
    private string RuntimesFile()
    {
        var first = Directory.EnumerateFiles(ConfDir)
            .Where(p => Path.GetExtension(p) is ".conf" or ".conflist" or ".json" && !Path.GetFileName(p).StartsWith('.'))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
        try
        {
            return first is null ? "" : File.ReadAllText(first);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    /// <remarks>Fails on 493b7e3 (no owned conflist: the entry lives in the primary's file, which each rewrite empties of it).</remarks>
    [RootFact]
    public void OwnedConflist_PrimaryRewritesItsFileAgainAndAgain_TheRuntimesFileNeverLacksSluiceRedirect()
    {
        Start(("OWNED_CONFLIST", "true"));
        var owned = Path.Combine(ConfDir, "01-sluice.conflist");
        Until(() => File.Exists(owned) && RuntimesFile().Contains("sluice-redirect", StringComparison.Ordinal), "the owned conflist");

        var misses = 0;
        var samples = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                samples++;
                misses += RuntimesFile().Contains("sluice-redirect", StringComparison.Ordinal) ? 0 : 1;
            }
        });
        for (var i = 0; i < 100; i++)
        {
            // The primary's agent at boot: its own file, without our entry, written again and again.
            File.WriteAllText(Primary, $$"""{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0","mtu":{{1400 + i}}}]}""");
            Thread.Sleep(10);
        }

        Until(() => File.ReadAllText(owned).Contains("1499", StringComparison.Ordinal), "the copy regenerated from the last rewrite");
        stop.Cancel();
        sampler.Wait(TestContext.Current.CancellationToken);
        var log = StopAndLog();

        Assert.True(misses == 0, $"{misses} of {samples} samples of the runtime's file had no sluice-redirect\n{log}");
        Assert.DoesNotContain("sluice-redirect", File.ReadAllText(Primary), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(owned));
        Assert.True(File.Exists(owned), "the owned file stays on SIGTERM");
    }

    /// <remarks>Fails on 493b7e3 (no readiness taint: the node stays tainted).</remarks>
    [RootFact]
    public void ReadinessTaint_RemovedFromTheNodeOnlyOnceTheAgentIsReady()
    {
        const string Key = "sluice.io/agent-not-ready";
        _api.SetNode("node-a", SampleNodes.Node("node-a", [], [], [(Key, "NoSchedule"), ("example.com/other", "NoSchedule")]));
        File.Delete(Primary);
        Start(("REMOVE_READINESS_TAINT", "true"));
        Until(() => File.Exists(Path.Combine(BinDir, "sluice-redirect")), "the binary");
        Thread.Sleep(1500);
        Assert.Contains(Key, _api.Node("node-a")!, StringComparison.Ordinal);

        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge"}]}""");

        Until(() => !_api.Node("node-a")!.Contains(Key, StringComparison.Ordinal), "the taint removed once ready");
        Assert.Contains("example.com/other", _api.Node("node-a")!, StringComparison.Ordinal);
        StopAndLog();
    }

    [RootFact]
    public void PublishedAgent_PrimaryConfigurationAppearsAfterStart_ChainsIntoIt()
    {
        File.Delete(Primary);
        Start();
        Until(() => File.Exists(Path.Combine(BinDir, "sluice-redirect")), "the binary");

        File.WriteAllText(Path.Combine(ConfDir, "10-flannel.conflist"), """{"cniVersion":"1.0.0","name":"cbr0","plugins":[{"type":"flannel"}]}""");

        Until(() => File.ReadAllText(Path.Combine(ConfDir, "10-flannel.conflist")).Contains("sluice-redirect", StringComparison.Ordinal), "the entry");
        StopAndLog();
    }

    [RootFact]
    public void Status_PublishedAgentRunningThenStopped_AnswersThenShowsTheFilesAndExitsThree()
    {
        Start();
        Until(Installed, "the entry");
        Until(() => File.Exists(Path.Combine(RunDir, "status.sock")), "the status socket");

        ProcessResult running = null!;
        Until(() => (running = ProcessRunner.Run(RepoPaths.Binary("sluice-agent"), Environment(), arguments: ["status"])).Stdout.Contains("on this node", StringComparison.Ordinal), "the pod list in the status");
        StopAndLog();
        var stopped = ProcessRunner.Run(RepoPaths.Binary("sluice-agent"), Environment(), arguments: ["status", "--json"]);

        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.Contains("agent          ready", running.Stdout, StringComparison.Ordinal);
        Assert.Contains("chained: sluice-redirect is entry 2 of 2", running.Stdout, StringComparison.Ordinal);
        Assert.Contains("pods           0 on this node", running.Stdout, StringComparison.Ordinal);
        Assert.Contains("plugin errors  none", running.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", running.Stdout, StringComparison.Ordinal);
        Assert.True(stopped.ExitCode == 3, stopped.ToString());
        Assert.Contains("\"agentAnswering\": false", stopped.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"place\": \"chained: sluice-redirect is entry 2 of 2\"", stopped.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishedAgent_BadSettingInTheEnvironment_ExitsTwoAtStartNamingIt()
    {
        var result = ProcessRunner.Run(RepoPaths.Binary("sluice-agent"), new Dictionary<string, string> { ["HEALTH_PORT"] = "http" });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("HEALTH_PORT: 'http' is not a port", result.Stderr, StringComparison.Ordinal);
    }
}
