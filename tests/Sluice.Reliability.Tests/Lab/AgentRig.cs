using System.Diagnostics;
using System.Text;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport.Traffic;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// The published sluice-agent as the DaemonSet runs it (settings from the environment) with
/// host-like directories in a temporary directory, inside a node namespace: its health port
/// (it listens on all addresses) is reachable only there, and so is the fake API server it uses.
/// Mounts made for a test go under the temporary directory and are unmounted on dispose.
/// </summary>
internal sealed class AgentRig : IAsyncDisposable
{
    public const int HealthPort = 9870;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir = new("agent-faults");
    private readonly List<string> _mounts = [];
    private readonly StringBuilder _log = new();
    private readonly Lock _logLock = new();
    private FakeKubeApi? _api;
    private Process? _agent;

    private AgentRig()
    {
        Node = TestNetns.Create("anode");
        NodeNs = Node.Open();
        using var rtnl = Rtnl.OpenIn(NodeNs);
        rtnl.SetUp(rtnl.GetLink("lo").Index);
        Http = NodeHttp.Client(NodeNs, HealthPort, TimeSpan.FromSeconds(5));
    }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    public HttpClient Http { get; }

    public string BinDir => _dir.Combine("opt/cni/bin");

    public string ConfDir => _dir.Combine("etc/cni/net.d");

    public string SourceDir => _dir.Combine("opt/sluice/bin");

    public string RunDir => _dir.Combine("var/run/sluice");

    public string Primary => Path.Combine(ConfDir, "10-bridge.conflist");

    public string SourceBinary => Path.Combine(SourceDir, "sluice-redirect");

    public string InstalledBinary => Path.Combine(BinDir, "sluice-redirect");

    /// <summary>1 when the agent died (it must run until the test stops it), else 0: the crash count of a test.</summary>
    public int Crashes => _agent is { HasExited: true } ? 1 : 0;

    public string Log
    {
        get
        {
            lock (_logLock)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>The rig with the source binary in place; the conf dir and primary configuration only when <paramref name="withConfDir"/>.</summary>
    public static async Task<AgentRig> CreateAsync(bool withConfDir = true)
    {
        var rig = new AgentRig();
        rig._api = await FakeKubeApi.StartAsync(rig.NodeNs);
        Directory.CreateDirectory(rig.SourceDir);
        Directory.CreateDirectory(rig.BinDir);
        File.Copy(RepoPaths.Binary("sluice-redirect"), rig.SourceBinary);
        rig._api.WriteKubeconfig(rig._dir.Combine("agent-kubeconfig"));
        if (withConfDir)
        {
            rig.WritePrimary();
        }

        return rig;
    }

    public void WritePrimary()
    {
        Directory.CreateDirectory(ConfDir);
        File.WriteAllText(Primary, """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"bridge","bridge":"cni0"}]}""");
    }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> on <paramref name="target"/> (removed on dispose).</summary>
    public void MountTmpfs(string target, string size)
    {
        Directory.CreateDirectory(target);
        ProcessRunner.Check("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "sluice-test", target);
        _mounts.Add(target);
    }

    public static void Remount(string target, string options) => ProcessRunner.Check("mount", "-o", $"remount,{options}", target);

    public void Start()
    {
        var start = new ProcessStartInfo(RepoPaths.Binary("sluice-agent")) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["CNI_BIN_DIR"] = BinDir;
        start.Environment["CNI_CONF_DIR"] = ConfDir;
        start.Environment["SOURCE_DIR"] = SourceDir;
        start.Environment["RUN_DIR"] = RunDir;
        start.Environment["KUBECONFIG"] = _dir.Combine("agent-kubeconfig");
        start.Environment["HEALTH_PORT"] = HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PROFILE"] = "istio";
        _agent = NodeNs.Run(() => Process.Start(start)!);
        _agent.ErrorDataReceived += (_, line) =>
        {
            lock (_logLock)
            {
                _log.Append(line.Data).Append('\n');
            }
        };
        _agent.BeginErrorReadLine();
    }

    /// <summary>/readyz's status and body (0 and "" while nothing answers).</summary>
    public async Task<(int Status, string Body)> ReadyzAsync()
    {
        try
        {
            using var response = await Http.GetAsync("/readyz", TestContext.Current.CancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }
        catch (HttpRequestException)
        {
            return (0, "");
        }
    }

    /// <summary>Waits for <paramref name="condition"/>; fails the test after <see cref="Patience"/>, naming <paramref name="what"/>.</summary>
    public async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < Patience, $"not within {Patience}: {what}\n--- agent log ---\n{Log}");
            if (_agent is { HasExited: true })
            {
                Assert.Fail($"the agent exited ({_agent.ExitCode}) while waiting for: {what}\n{Log}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return watch.Elapsed;
    }

    /// <summary>Temporary files the agent's atomic copy uses, in <paramref name="dir"/>.</summary>
    public static IReadOnlyList<string> TempFiles(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, ".*.tmp-*").Select(Path.GetFileName).Select(n => n!).ToList() : [];

    public static bool SameContent(string a, string b)
    {
        using var left = File.OpenRead(a);
        using var right = File.OpenRead(b);
        return left.Length == right.Length &&
            System.Security.Cryptography.SHA256.HashData(left).AsSpan().SequenceEqual(System.Security.Cryptography.SHA256.HashData(right));
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is { HasExited: false })
        {
            _agent.Kill();
            await _agent.WaitForExitAsync();
        }

        _agent?.Dispose();
        Http.Dispose();
        foreach (var mount in Enumerable.Reverse(_mounts))
        {
            ProcessRunner.Run("umount", new Dictionary<string, string>(), null, ["-l", mount]);
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }
}
