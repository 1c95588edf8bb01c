using System.Text.Json.Nodes;
using Sluice.Agent.Install;
using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Agent.Tests;

/// <summary>The installers against real files in a temporary directory.</summary>
public sealed class InstallerTests : IDisposable
{
    private static readonly JsonObject Entry = JsonNode.Parse("""{"type":"sluice-redirect","profile":"istio"}""")!.AsObject();

    private readonly TempDirectory _dir = new("agent-install");

    public void Dispose() => _dir.Dispose();

    private string Conf => Directory.CreateDirectory(_dir.Combine("net.d")).FullName;

    [Fact]
    public void CniConfInstaller_SeveralConfigurations_ChainsIntoTheLexicallyFirstOnly()
    {
        File.WriteAllText(Path.Combine(Conf, "20-other.conflist"), """{"cniVersion":"1.0.0","name":"b","plugins":[{"type":"bridge"}]}""");
        File.WriteAllText(Path.Combine(Conf, "10-calico.conflist"), """{"cniVersion":"1.0.0","name":"a","plugins":[{"type":"calico"}]}""");
        File.WriteAllText(Path.Combine(Conf, "00-notes.txt"), "not a configuration");

        var outcome = new CniConfInstaller(Conf, null, Entry).Reconcile();

        Assert.Equal(ConfState.Written, outcome.State);
        Assert.Equal(Path.Combine(Conf, "10-calico.conflist"), outcome.Path);
        Assert.DoesNotContain("sluice", File.ReadAllText(Path.Combine(Conf, "20-other.conflist")), StringComparison.Ordinal);
    }

    [Fact]
    public void CniConfInstaller_NoPrimaryConfigurationOrNoDirectory_Waits()
    {
        Assert.Equal(ConfState.Waiting, new CniConfInstaller(Conf, null, Entry).Reconcile().State);
        Assert.Equal(ConfState.Waiting, new CniConfInstaller(_dir.Combine("missing"), null, Entry).Reconcile().State);
    }

    [Fact]
    public void CniConfInstaller_SingleConf_BecomesAConflistWithTheSameModeAndASecondPassWritesNothing()
    {
        var conf = Path.Combine(Conf, "10-bridge.conf");
        File.WriteAllText(conf, """{"cniVersion":"1.0.0","name":"k8s","type":"bridge"}""");
        File.SetUnixFileMode(conf, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var installer = new CniConfInstaller(Conf, null, Entry);

        var first = installer.Reconcile();
        var written = File.ReadAllText(first.Path!);
        var stamp = File.GetLastWriteTimeUtc(first.Path!);
        var second = installer.Reconcile();

        Assert.Equal((ConfState.Written, Path.Combine(Conf, "10-bridge.conflist")), (first.State, first.Path));
        Assert.False(File.Exists(conf));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(first.Path!));
        Assert.Equal(ConfState.InPlace, second.State);
        Assert.Equal(written, File.ReadAllText(first.Path!));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(first.Path!));
    }

    [Fact]
    public void CniConfInstaller_ConfiguredConfFileName_IsChainedIntoAndFoundAgainAfterItsConversion()
    {
        File.WriteAllText(Path.Combine(Conf, "05-first.conflist"), """{"cniVersion":"1.0.0","name":"a","plugins":[{"type":"x"}]}""");
        File.WriteAllText(Path.Combine(Conf, "87-podman.conf"), """{"cniVersion":"1.0.0","name":"podman","type":"bridge"}""");
        var installer = new CniConfInstaller(Conf, "87-podman.conf", Entry);

        Assert.Equal(Path.Combine(Conf, "87-podman.conflist"), installer.Reconcile().Path);
        Assert.Equal(ConfState.InPlace, installer.Reconcile().State);
    }

    [Fact]
    public void CniConfInstaller_PrimaryFileNotJson_IsInvalidNamingThePathAndLeftUntouched()
    {
        var path = Path.Combine(Conf, "10-broken.conflist");
        File.WriteAllText(path, "{\"plugins\": [");

        var outcome = new CniConfInstaller(Conf, null, Entry).Reconcile();

        Assert.Equal(ConfState.Invalid, outcome.State);
        Assert.Contains(path, outcome.Detail, StringComparison.Ordinal);
        Assert.Equal("{\"plugins\": [", File.ReadAllText(path));
    }

    [Fact]
    public void CniConfInstaller_UninstallAfterInstall_RemovesOnlyOurEntryThenFindsNothing()
    {
        var path = Path.Combine(Conf, "10-bridge.conflist");
        File.WriteAllText(path, """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""");
        var installer = new CniConfInstaller(Conf, null, Entry);
        installer.Reconcile();

        Assert.Equal(path, installer.Uninstall());
        Assert.Equal("""[{"type":"bridge"}]""", JsonNode.Parse(File.ReadAllText(path))!["plugins"]!.ToJsonString());
        Assert.Null(installer.Uninstall());
    }

    [Fact]
    public void BinaryInstaller_ExecutablesInTheSource_AreCopiedOnceRestoredWhenRemovedOrChangedAndRemovedOnUninstall()
    {
        var source = Directory.CreateDirectory(_dir.Combine("src")).FullName;
        var bins = new[] { _dir.Combine("bin1"), _dir.Combine("bin2") };
        File.WriteAllText(Path.Combine(source, "sluice-redirect"), "#!/bin/sh\necho v1\n");
        File.SetUnixFileMode(Path.Combine(source, "sluice-redirect"), (UnixFileMode)0b111_101_101);
        File.WriteAllText(Path.Combine(source, "README"), "not executable");
        var installer = new BinaryInstaller(source, bins);

        Assert.Equal(2, installer.Reconcile().Count);
        Assert.Empty(installer.Reconcile());
        Assert.False(File.Exists(Path.Combine(bins[0], "README")));

        File.Delete(Path.Combine(bins[0], "sluice-redirect"));
        File.WriteAllText(Path.Combine(bins[1], "sluice-redirect"), "tampered");
        Assert.Equal(2, installer.Reconcile().Count);
        Assert.Equal("#!/bin/sh\necho v1\n", File.ReadAllText(Path.Combine(bins[1], "sluice-redirect")));
        Assert.NotEqual((UnixFileMode)0, File.GetUnixFileMode(Path.Combine(bins[1], "sluice-redirect")) & UnixFileMode.OtherExecute);

        installer.Uninstall();
        Assert.Empty(Directory.EnumerateFiles(bins[0]).Concat(Directory.EnumerateFiles(bins[1])));
    }

    [Fact]
    public void BinaryInstaller_StaleAndLiveTemporaryCopies_RemovesOnlyTheStaleOne()
    {
        // Found by the reliability suite's full-disk test: a copy killed mid-way leaves its
        // temporary file, which no pass removed; on a small bin filesystem it kept the space for good.
        var source = Directory.CreateDirectory(_dir.Combine("src")).FullName;
        var bin = Directory.CreateDirectory(_dir.Combine("bin")).FullName;
        File.WriteAllText(Path.Combine(source, "sluice-redirect"), "#!/bin/sh\necho v1\n");
        File.SetUnixFileMode(Path.Combine(source, "sluice-redirect"), (UnixFileMode)0b111_101_101);
        var stale = Path.Combine(bin, ".sluice-redirect.tmp-1f-2a3b");
        var live = Path.Combine(bin, ".sluice-redirect.tmp-20-4c5d");
        File.WriteAllText(stale, "half a binary");
        File.SetLastWriteTimeUtc(stale, DateTime.UtcNow - BinaryInstaller.StaleTempAge - TimeSpan.FromMinutes(1));
        File.WriteAllText(live, "another copy in progress");

        new BinaryInstaller(source, [bin]).Reconcile();

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(live));
        Assert.Equal("#!/bin/sh\necho v1\n", File.ReadAllText(Path.Combine(bin, "sluice-redirect")));
    }

    [Fact]
    public async Task PluginKubeconfig_WrittenAndRewrittenAfterTokenRotation_IsOwnerOnlyAndReadsPods()
    {
        await using var api = await FakeKubeApi.StartAsync();
        api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var tokenFile = api.WriteTokenFile(_dir.Combine("token"));
        var agentConfig = api.WriteKubeconfig(_dir.Combine("agent-kubeconfig"), tokenFile: tokenFile);
        var written = new PluginKubeconfig(_dir.Combine("run/sluice-kubeconfig"), () => KubeConfig.Load(agentConfig));

        Assert.True(written.Reconcile());
        Assert.False(written.Reconcile());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written.Path));
        using (var client = new KubeClient(KubeConfig.Load(written.Path)))
        {
            Assert.Equal("reviews", (await client.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken)).Metadata.Name);
        }

        api.Token = "fake-token-2";
        api.WriteTokenFile(tokenFile);
        Assert.True(written.Reconcile());
        using (var client = new KubeClient(KubeConfig.Load(written.Path)))
        {
            Assert.Equal("reviews", (await client.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken)).Metadata.Name);
        }
    }

    [Fact]
    public async Task PluginKubeconfig_AgentKubeconfigWithExecPlugin_WritesThePluginsTokenSoThePluginsRunNone()
    {
        await using var api = await FakeKubeApi.StartAsync();
        api.SetPod("shop", "reviews", SamplePods.Istio("shop", "reviews"));
        var plugin = _dir.Combine("get-token");
        File.WriteAllText(plugin, "#!/bin/sh\nprintf '%s' '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"" + api.Token + "\"}}'\n");
        File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var agentConfig = api.WriteKubeconfig(_dir.Combine("agent-kubeconfig"), inlineToken: false);
        File.AppendAllText(agentConfig, $"    exec: {{apiVersion: client.authentication.k8s.io/v1, command: {plugin}, interactiveMode: Never}}\n");
        var written = new PluginKubeconfig(_dir.Combine("run/sluice-kubeconfig"), () => KubeConfig.Load(agentConfig));

        Assert.True(written.Reconcile());

        var plugins = KubeConfig.Load(written.Path);
        Assert.Null(plugins.Exec);
        Assert.Equal(api.Token, plugins.Token);
        using var client = new KubeClient(plugins);
        Assert.Equal("reviews", (await client.GetPodAsync("shop", "reviews", TestContext.Current.CancellationToken)).Metadata.Name);
    }
}
