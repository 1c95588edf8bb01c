using System.Text.Json;
using Sluice.Agent.Pods;
using Sluice.Agent.Settings;
using Sluice.Agent.Status;
using Sluice.Cni.Logging;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests.Status;

/// <summary>
/// <c>sluice-agent status</c> in-process, against an agent's install loop, pod cache and status
/// socket on host-like directories, with the fake API server's pods of node-a.
/// </summary>
public sealed class StatusCommandTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("status");
    private readonly CancellationTokenSource _stop = new();
    private readonly RecentPluginErrors _errors = new();
    private FakeKubeApi _api = null!;
    private KubeClient _client = null!;
    private PodCache _cache = null!;
    private AgentSettings _settings = null!;
    private AgentHost _host = null!;

    private string[] Arguments =>
    [
        "--cni-bin-dir", _dir.Combine("bin"), "--cni-conf-dir", _dir.Combine("net.d"), "--source-dir", _dir.Combine("src"),
        "--run-dir", _dir.Combine("run"), "--node-name", "node-a", "--profile", "istio",
    ];

    public async ValueTask InitializeAsync()
    {
        _api = await FakeKubeApi.StartAsync();
        _api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews", nodeName: "node-a"));
        _api.SetPod("shop", "plain", SamplePods.Plain("shop", "plain", nodeName: "node-a"));
        _api.SetPod("shop", "bad", SamplePods.Istio("shop", "bad", nodeName: "node-a", extraAnnotations: ",\"traffic.sidecar.istio.io/includeInboundPorts\": \"eighty\""));
        _api.SetPod("shop", "elsewhere", SamplePods.Istio("shop", "elsewhere", nodeName: "node-b"));
        _client = new KubeClient(KubeConfig.Load(_api.WriteKubeconfig(_dir.Combine("kubeconfig"))));
        Directory.CreateDirectory(_dir.Combine("src"));
        Directory.CreateDirectory(_dir.Combine("net.d"));
        File.WriteAllText(_dir.Combine("src/sluice-redirect"), "#!/bin/sh\n");
        File.SetUnixFileMode(_dir.Combine("src/sluice-redirect"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(_dir.Combine("net.d/10-bridge.conflist"), """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge"},{"type":"portmap"}]}""");
        _settings = AgentSettings.Parse(Arguments, new Dictionary<string, string>(), TextWriter.Null)!;
        var log = new AgentLog(TextWriter.Null, "debug");
        var config = new KubeConfig { Server = "https://10.96.0.1:443", Token = "t", InsecureSkipTlsVerify = true };
        _host = new AgentHost(_settings, log, () => config);
        _cache = new PodCache(_client, "node-a", log);
        _ = Task.Run(() => _cache.RunAsync(_stop.Token));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!_cache.Synced && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _client.Dispose();
        await _api.DisposeAsync();
        _stop.Dispose();
        _dir.Dispose();
    }

    private (int ExitCode, string Output) Status(bool terminal = false, params string[] extra) => Status(new Dictionary<string, string>(), terminal, extra);

    private (int ExitCode, string Output) Status(Dictionary<string, string> environment, bool terminal, params string[] extra)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = StatusCommand.Run([.. Arguments, .. extra], environment, output, errors, terminal);
        Assert.Equal("", errors.ToString());
        return (code, output.ToString());
    }

    private StatusServer Serve() =>
        LiveStatusSource.Serve(_settings, _host, _cache, null, _errors, new AgentLog(TextWriter.Null, "debug")) ?? throw new InvalidOperationException("no status socket");

    [Fact]
    public void Status_RunningAgent_ShowsItsPlaceBinariesKubeconfigPodsCaptureAndPluginErrors()
    {
        _host.Reconcile();
        _errors.Offer(new PluginRecord(PluginRecordKind.Call, LogLevel.Error, "sluice-redirect", "ADD", "c0ffee", "shop/bad", 3.5, "error 7: annotation traffic.sidecar.istio.io/includeInboundPorts 'eighty' is not valid"));
        _errors.Offer(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, "sluice-redirect", "ADD", "c0ffee", "shop/reviews", 3.5, "ok"));
        using var server = Serve();

        var (code, output) = Status();

        Assert.True(code == 1, output); // the pod with a bad annotation is a problem
        Assert.Contains("agent          ready", output, StringComparison.Ordinal);
        Assert.Contains("chained: sluice-redirect is entry 3 of 3", output, StringComparison.Ordinal);
        Assert.Contains($"current  {_dir.Combine("bin/sluice-redirect")}", output, StringComparison.Ordinal);
        Assert.Contains("server https://10.96.0.1:443, token", output, StringComparison.Ordinal);
        Assert.Contains("3 on this node, 1 captured or to capture", output, StringComparison.Ordinal);
        Assert.Matches(@"needs-capture  shop/reviews +istio-proxy container", output);
        Assert.Matches(@"not-needed     shop/plain +no istio-proxy container", output);
        Assert.Matches(@"invalid        shop/bad +annotation traffic.sidecar.istio.io/includeInboundPorts", output);
        Assert.DoesNotContain("elsewhere", output, StringComparison.Ordinal);
        Assert.Matches(@"plugin errors  \w{3} \d\d \d\d:\d\d:\d\d sluice-redirect ADD pod=shop/bad: error 7", output);
        Assert.DoesNotContain("shop/reviews: ok", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(server.Path));
    }

    [Fact]
    public void Status_NoAgent_ShowsTheFactsOnDiskAndExitsThree()
    {
        var (code, output) = Status();

        Assert.Equal(StatusCommand.AgentNotAnswering, code);
        Assert.Contains("agent          not answering: no agent socket at " + _dir.Combine("run/status.sock"), output, StringComparison.Ordinal);
        Assert.Contains("sluice-redirect is not in the file the runtime uses", output, StringComparison.Ordinal);
        Assert.Contains($"missing  {_dir.Combine("bin/sluice-redirect")}", output, StringComparison.Ordinal);
        Assert.Contains("missing: the plugins cannot reach the API server", output, StringComparison.Ordinal);
        Assert.Contains("pods           unknown (no agent answered)", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_Json_HasTheDocumentedShape()
    {
        _host.Reconcile();
        using var server = Serve();

        var (_, output) = Status(false, "--json");

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("node-a", root.GetProperty("node").GetString());
        Assert.True(root.GetProperty("agentAnswering").GetBoolean());
        Assert.True(root.GetProperty("agent").GetProperty("ready").GetBoolean());
        var pods = root.GetProperty("agent").GetProperty("pods").EnumerateArray().Select(p => $"{p.GetProperty("namespace").GetString()}/{p.GetProperty("name").GetString()}={p.GetProperty("capture").GetString()}").ToList();
        Assert.Equal(["shop/bad=invalid", "shop/plain=not-needed", "shop/reviews=needs-capture"], pods);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("agent").GetProperty("pluginErrors").ValueKind);
        Assert.False(root.GetProperty("agent").TryGetProperty("routes", out _), "routes outside primary-network mode");
        Assert.Equal(["bridge", "portmap", "sluice-redirect"], root.GetProperty("conflist").GetProperty("plugins").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("chained: sluice-redirect is entry 3 of 3", root.GetProperty("conflist").GetProperty("place").GetString());
        Assert.Equal("current", root.GetProperty("binaries")[0].GetProperty("state").GetString());
        Assert.Equal("https://10.96.0.1:443", root.GetProperty("kubeconfig").GetProperty("server").GetString());
    }

    [Fact]
    public void Status_Json_NoAgent_SaysWhyAndKeepsTheDiskFacts()
    {
        var (code, output) = Status(false, "--json");

        using var json = JsonDocument.Parse(output);
        Assert.Equal(StatusCommand.AgentNotAnswering, code);
        Assert.False(json.RootElement.GetProperty("agentAnswering").GetBoolean());
        Assert.False(json.RootElement.TryGetProperty("agent", out _));
        Assert.StartsWith("no agent socket at ", json.RootElement.GetProperty("agentNotAnsweringBecause").GetString(), StringComparison.Ordinal);
        Assert.Equal("missing", json.RootElement.GetProperty("binaries")[0].GetProperty("state").GetString());
    }

    [Fact]
    public void Status_Colour_OnlyOnATerminalWithoutNoColor()
    {
        _host.Reconcile();
        using var server = Serve();

        var onTerminal = Status(terminal: true).Output;
        var piped = Status(terminal: false).Output;
        var noColour = Status(new Dictionary<string, string> { ["NO_COLOR"] = "1" }, terminal: true).Output;
        var emptyNoColour = Status(new Dictionary<string, string> { ["NO_COLOR"] = "" }, terminal: true).Output;

        Assert.Contains("\u001b[32mready\u001b[0m", onTerminal, StringComparison.Ordinal);
        Assert.Contains("\u001b[", emptyNoColour, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", piped, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", noColour, StringComparison.Ordinal);
        Assert.Equal(piped, noColour);
    }

    [Fact]
    public void StatusServer_RequestOtherThanStatusOrTooLong_GetsNoAnswer()
    {
        using var server = Serve();

        Assert.Equal("", Ask(server.Path, "GET shop reviews\n"));
        Assert.Equal("", Ask(server.Path, new string('S', 200) + "\n"));
        Assert.StartsWith("{\"ready\":", Ask(server.Path, "STATUS\n"), StringComparison.Ordinal);
    }

    private static string Ask(string path, string request)
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
        socket.Send(System.Text.Encoding.UTF8.GetBytes(request));
        using var reader = new StreamReader(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false));
        try
        {
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            // The server closed with the request unread: the kernel resets the connection.
            return "";
        }
    }
}
