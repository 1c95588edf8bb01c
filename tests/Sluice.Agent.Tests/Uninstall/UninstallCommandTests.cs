using Sluice.Agent.Uninstall;

namespace Sluice.Agent.Tests.Uninstall;

/// <summary><c>sluice-agent uninstall</c> on this node, after an agent host installed into temporary directories.</summary>
public sealed class UninstallCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("uninstall");
    private readonly StringWriter _log = new();

    public void Dispose() => _dir.Dispose();

    private string[] Settings(params string[] extra) =>
        ["--cni-bin-dir", _dir.Combine("bin"), "--cni-conf-dir", _dir.Combine("net.d"), "--source-dir", _dir.Combine("src"), "--run-dir", _dir.Combine("run"), .. extra];

    private static (int Code, string Output, string Errors) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = UninstallCommand.Run(arguments, new Dictionary<string, string>(), output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Run_AfterAnInstall_RemovesEntryKubeconfigAndBinariesThenFindsNothingLeft()
    {
        Directory.CreateDirectory(_dir.Combine("net.d"));
        Directory.CreateDirectory(_dir.Combine("src"));
        File.WriteAllText(_dir.Combine("src/sluice-redirect"), "#!/bin/sh\n");
        File.SetUnixFileMode(_dir.Combine("src/sluice-redirect"), (UnixFileMode)0b111_101_101);
        var primary = _dir.Combine("net.d/10-bridge.conflist");
        File.WriteAllText(primary, """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""");
        var host = TestHosts.Create(_dir, _log);
        host.Reconcile();
        Assert.True(host.Ready, host.NotReadyBecause);

        var (code, _, errors) = Run(Settings());

        Assert.Equal(0, code);
        Assert.DoesNotContain("sluice-redirect", File.ReadAllText(primary), StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.Combine("bin/sluice-redirect")));
        Assert.False(File.Exists(_dir.Combine("run/sluice-kubeconfig")));
        Assert.Contains($"removed sluice-redirect from {primary}", errors, StringComparison.Ordinal);
        Assert.Contains($"removed {_dir.Combine("bin/sluice-redirect")}", errors, StringComparison.Ordinal);

        var again = Run(Settings());
        Assert.Equal(0, again.Code);
        Assert.DoesNotContain("removed", again.Errors, StringComparison.Ordinal);
    }

    /// <summary>What a running agent and sluice-redirect leave in the run directory.</summary>
    private void WriteRunState()
    {
        Directory.CreateDirectory(_dir.Combine("src"));
        Directory.CreateDirectory(_dir.Combine("run/sandboxes"));
        File.WriteAllText(_dir.Combine("run/capture-pods.json"), "[]");
        File.WriteAllText(_dir.Combine("run/.capture-pods.json.tmp-1234"), "[");
        File.WriteAllText(_dir.Combine("run/sandboxes/abc.json"), "{}");
        File.WriteAllText(_dir.Combine("run/sandboxes/.abc.json.tmp-77"), "{");
    }

    [Fact]
    public void Run_AfterAgentAndPluginRan_RemovesPodListAndSandboxRecordsButNotTheRunDirectory()
    {
        WriteRunState();
        File.WriteAllText(_dir.Combine("run/someone-elses"), "x");

        var (code, _, errors) = Run(Settings());

        Assert.True(code == 0, errors);
        Assert.False(File.Exists(_dir.Combine("run/capture-pods.json")));
        Assert.False(File.Exists(_dir.Combine("run/.capture-pods.json.tmp-1234")));
        Assert.False(Directory.Exists(_dir.Combine("run/sandboxes")));
        Assert.True(File.Exists(_dir.Combine("run/someone-elses")));
        Assert.Contains($"removed {_dir.Combine("run/sandboxes")} (2 entries in it)", errors, StringComparison.Ordinal);
        Assert.Contains($"removed {_dir.Combine("run/capture-pods.json")}", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("removed", Run(Settings()).Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_RunStateLinksOutOfTheRunDirectory_RemovesTheLinksNeverWhatTheyName()
    {
        Directory.CreateDirectory(_dir.Combine("src"));
        Directory.CreateDirectory(_dir.Combine("run"));
        Directory.CreateDirectory(_dir.Combine("outside/records"));
        File.WriteAllText(_dir.Combine("outside/records/keep.json"), "{}");
        File.WriteAllText(_dir.Combine("outside/pods.json"), "[]");
        File.CreateSymbolicLink(_dir.Combine("run/capture-pods.json"), _dir.Combine("outside/pods.json"));
        Directory.CreateSymbolicLink(_dir.Combine("run/sandboxes"), _dir.Combine("outside/records"));

        var (code, _, errors) = Run(Settings());

        Assert.True(code == 0, errors);
        Assert.False(File.Exists(_dir.Combine("run/capture-pods.json")) || new FileInfo(_dir.Combine("run/capture-pods.json")).LinkTarget is not null);
        Assert.Null(new DirectoryInfo(_dir.Combine("run/sandboxes")).LinkTarget);
        Assert.True(File.Exists(_dir.Combine("outside/pods.json")));
        Assert.True(File.Exists(_dir.Combine("outside/records/keep.json")));
    }

    [Fact]
    public void Run_SandboxRecordLinksOutward_RemovesTheLinkAndKeepsItsTarget()
    {
        Directory.CreateDirectory(_dir.Combine("src"));
        Directory.CreateDirectory(_dir.Combine("run/sandboxes"));
        Directory.CreateDirectory(_dir.Combine("outside/dir"));
        File.WriteAllText(_dir.Combine("outside/dir/keep"), "x");
        File.WriteAllText(_dir.Combine("outside/file.json"), "{}");
        File.CreateSymbolicLink(_dir.Combine("run/sandboxes/a.json"), _dir.Combine("outside/file.json"));
        Directory.CreateSymbolicLink(_dir.Combine("run/sandboxes/nested"), _dir.Combine("outside/dir"));

        var (code, _, errors) = Run(Settings());

        Assert.True(code == 0, errors);
        Assert.False(Directory.Exists(_dir.Combine("run/sandboxes")));
        Assert.True(File.Exists(_dir.Combine("outside/file.json")));
        Assert.True(File.Exists(_dir.Combine("outside/dir/keep")));
    }

    [Fact]
    public void AgentStop_KeepOnExitFalse_KeepsPodListAndSandboxRecordsForTheNextAgent()
    {
        Directory.CreateDirectory(_dir.Combine("net.d"));
        File.WriteAllText(_dir.Combine("net.d/10-bridge.conflist"), """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""");
        var host = TestHosts.Create(_dir, _log, null, "--keep-on-exit", "false");
        host.Reconcile();
        WriteRunState();

        Assert.Empty(host.Uninstall());

        Assert.False(File.Exists(_dir.Combine("run/sluice-kubeconfig")));
        Assert.True(File.Exists(_dir.Combine("run/capture-pods.json")));
        Assert.True(File.Exists(_dir.Combine("run/sandboxes/abc.json")));
    }

    [Fact]
    public void Run_StandaloneMode_RemovesItsOwnFileOnly()
    {
        Directory.CreateDirectory(_dir.Combine("net.d"));
        File.WriteAllText(_dir.Combine("net.d/10-bridge.conflist"), """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""");
        TestHosts.Create(_dir, _log, null, "--chained", "false").Reconcile();
        Assert.True(File.Exists(_dir.Combine("net.d/zz-sluice-redirect.conflist")));

        Assert.Equal(0, Run(Settings("--chained", "false")).Code);

        Assert.False(File.Exists(_dir.Combine("net.d/zz-sluice-redirect.conflist")));
        Assert.True(File.Exists(_dir.Combine("net.d/10-bridge.conflist")));
    }

    [Fact]
    public void Run_Help_ListsItsOwnOptionsAndEveryAgentSetting()
    {
        var (code, output, _) = Run("--help");

        Assert.Equal(0, code);
        Assert.StartsWith("Usage: sluice-agent uninstall", output, StringComparison.Ordinal);
        foreach (var flag in new[] { "--keep-running", "--daemonset", "--namespace", "--timeout-seconds", "--cni-conf-dir", "--keep-on-exit" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--keep-running", "yes" }, "sluice-agent uninstall: --keep-running: 'yes' is not a boolean")]
    [InlineData(new[] { "--daemonset", "sluice" }, "--daemonset sluice needs its namespace (--namespace or POD_NAMESPACE)")]
    public void Run_BadCommandLine_Exits2SayingWhy(string[] arguments, string expected)
    {
        var (code, _, errors) = Run(arguments);

        Assert.Equal(2, code);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }
}
