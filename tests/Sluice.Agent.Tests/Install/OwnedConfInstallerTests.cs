using System.Text.Json.Nodes;
using Sluice.Agent.Install;

namespace Sluice.Agent.Tests.Install;

/// <summary>The owned conflist on real files: Sluice's copy of the primary's list with sluice-redirect, sorting first, the primary's file never touched.</summary>
public sealed class OwnedConfInstallerTests : IDisposable
{
    private const string Calico = """{"cniVersion":"1.0.0","name":"k8s-pod-network","plugins":[{"type":"calico","mtu":1440},{"type":"portmap","capabilities":{"portMappings":true}}]}""";
    private static readonly JsonObject Entry = JsonNode.Parse("""{"type":"sluice-redirect","profile":"istio"}""")!.AsObject();

    private readonly TempDirectory _dir = new("owned-conf");

    public OwnedConfInstallerTests() => Directory.CreateDirectory(Conf);

    public void Dispose() => _dir.Dispose();

    private string Conf => _dir.Combine("net.d");

    private string Primary => Path.Combine(Conf, "10-calico.conflist");

    private string Owned => Path.Combine(Conf, "01-sluice.conflist");

    private OwnedConfInstaller Installer() => new(Conf, null, "01-sluice.conflist", Entry);

    private static string[] Types(string path) => JsonNode.Parse(File.ReadAllText(path))!["plugins"]!.AsArray().Select(p => (string)p!["type"]!).ToArray();

    [Fact]
    public void Reconcile_PrimaryPresent_WritesItsPluginsAndSluiceRedirectOwnerOnlyAndLeavesThePrimaryAlone()
    {
        File.WriteAllText(Primary, Calico);

        var outcome = Installer().Reconcile();

        Assert.Equal(ConfState.Written, outcome.State);
        Assert.Equal(Owned, outcome.Path);
        Assert.Equal(["calico", "portmap", "sluice-redirect"], Types(Owned));
        Assert.Equal("k8s-pod-network", (string)JsonNode.Parse(File.ReadAllText(Owned))!["name"]!);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Owned));
        Assert.Equal(Calico, File.ReadAllText(Primary));
        Assert.Equal(ConfState.InPlace, Installer().Reconcile().State);
    }

    [Fact]
    public void Reconcile_PrimaryRewritten_RegeneratesTheCopyFromIt()
    {
        File.WriteAllText(Primary, Calico);
        var installer = Installer();
        installer.Reconcile();

        File.WriteAllText(Primary, Calico.Replace("1440", "1380", StringComparison.Ordinal));
        var outcome = installer.Reconcile();

        Assert.Equal(ConfState.Written, outcome.State);
        Assert.Contains("1380", File.ReadAllText(Owned), StringComparison.Ordinal);
        Assert.Equal("sluice-redirect", Types(Owned)[^1]);
    }

    [Fact]
    public void Reconcile_PrimaryGone_KeepsTheCopySoTheRuntimeStillCaptures()
    {
        File.WriteAllText(Primary, Calico);
        var installer = Installer();
        installer.Reconcile();

        File.Delete(Primary);
        var outcome = installer.Reconcile();

        Assert.Equal(ConfState.Kept, outcome.State);
        Assert.Contains("kept", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(["calico", "portmap", "sluice-redirect"], Types(Owned));
    }

    [Fact]
    public void Reconcile_NoPrimaryEver_Waits()
    {
        Assert.Equal(ConfState.Waiting, Installer().Reconcile().State);
        Assert.False(File.Exists(Owned));
    }

    [Fact]
    public void Reconcile_SingleConfPrimary_BecomesAListInTheCopyOnly()
    {
        var conf = Path.Combine(Conf, "10-flannel.conf");
        const string Flannel = """{"cniVersion":"0.3.1","name":"cbr0","type":"flannel","delegate":{"isDefaultGateway":true}}""";
        File.WriteAllText(conf, Flannel);

        Installer().Reconcile();

        Assert.Equal(["flannel", "sluice-redirect"], Types(Owned));
        Assert.Equal(Flannel, File.ReadAllText(conf));
    }

    [Fact]
    public void Reconcile_AFileSortsBeforeTheCopy_IsReportedInvalid()
    {
        File.WriteAllText(Path.Combine(Conf, "00-cilium.conflist"), Calico);

        var outcome = Installer().Reconcile();

        Assert.Equal(ConfState.Invalid, outcome.State);
        Assert.Contains("00-cilium.conflist sorts before", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Uninstall_RemovesTheCopyAndAnEntryAnEarlierChainedModeLeftInThePrimary()
    {
        File.WriteAllText(Primary, Calico);
        new CniConfInstaller(Conf, null, Entry).Reconcile();
        var installer = Installer();
        installer.Reconcile();

        var removed = installer.Uninstall();

        Assert.Equal([Owned, Primary], removed);
        Assert.False(File.Exists(Owned));
        Assert.Equal(["calico", "portmap"], Types(Primary));
        Assert.Empty(installer.Uninstall());
    }
}
