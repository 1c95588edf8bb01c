using System.Net;
using System.Text.Json.Nodes;
using Sluice.Agent.Install;

namespace Sluice.Agent.Tests;

public sealed class OwnConfListTests
{
    private static readonly IPNetwork[] PodCidrs = [IPNetwork.Parse("10.244.1.0/24"), IPNetwork.Parse("fd00:10:244:1::/64")];
    private static readonly IPNetwork[] ClusterCidrs = [IPNetwork.Parse("10.244.0.0/16"), IPNetwork.Parse("fd00:10:244::/56")];
    private static readonly JsonObject Redirect = new() { ["type"] = "sluice-redirect", ["profile"] = "msm" };

    [Fact]
    public void PodNetwork_DualStack_GivesOneRangeSetPerCidrAndTheClusterNetwork()
    {
        var list = JsonNode.Parse(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/var/lib/cni/networks", "/run/sluice/log.sock", null))!;

        Assert.Equal("1.0.0", (string)list["cniVersion"]!);
        Assert.Equal("sluice", (string)list["name"]!);
        var bridge = Assert.Single(list["plugins"]!.AsArray())!;
        Assert.Equal("sluice-bridge", (string)bridge["type"]!);
        Assert.True((bool)bridge["hairpinMode"]!);
        // hostPorts: the bridge declares the capability and maps them itself, no sluice-portmap after it.
        Assert.True((bool)bridge["capabilities"]!["portMappings"]!);
        Assert.Equal("/run/sluice/log.sock", (string)bridge["logSocket"]!);
        Assert.True((bool)bridge["isDefaultGateway"]!);
        Assert.True((bool)bridge["ipMasq"]!);
        Assert.Equal(["10.244.0.0/16", "fd00:10:244::/56"], bridge["clusterCidrs"]!.AsArray().Select(c => (string)c!));
        var ipam = bridge["ipam"]!;
        Assert.Equal("sluice-ipam", (string)ipam["type"]!);
        Assert.Equal("/var/lib/cni/networks", (string)ipam["dataDir"]!);
        Assert.Equal(["10.244.1.0/24", "fd00:10:244:1::/64"], ipam["ranges"]!.AsArray().Select(set => (string)set![0]!["subnet"]!));
    }

    [Fact]
    public void PodNetwork_WithMtu_GivesSluiceBridgeTheMtuKey_AndWithoutItNone()
    {
        var with = JsonNode.Parse(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/d", "/s", null, 1400))!["plugins"]![0]!;
        var without = JsonNode.Parse(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/d", "/s", null))!["plugins"]![0]!;

        Assert.Equal(1400, (int)with["mtu"]!);
        Assert.Null(without["mtu"]);
    }

    [Fact]
    public void PodNetwork_Chained_PutsSluiceRedirectLast()
    {
        var list = JsonNode.Parse(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/var/lib/cni/networks", "/run/sluice/log.sock", Redirect))!;

        Assert.Equal(["sluice-bridge", "sluice-redirect"], list["plugins"]!.AsArray().Select(p => (string)p!["type"]!));
        Assert.Equal("msm", (string)list["plugins"]![1]!["profile"]!);
    }

    [Fact]
    public void PodNetwork_SameInputs_GiveTheSameBytes()
    {
        Assert.Equal(
            OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/d", "/s", Redirect),
            OwnConfList.PodNetwork([.. PodCidrs], [.. ClusterCidrs], "/d", "/s", (JsonObject)Redirect.DeepClone()));
    }

    [Fact]
    public void RedirectOnly_IsAListOfJustTheEntry()
    {
        var list = JsonNode.Parse(OwnConfList.RedirectOnly(Redirect))!;

        Assert.Equal("sluice-redirect", (string)list["name"]!);
        Assert.True(JsonNode.DeepEquals(Redirect, list["plugins"]!.AsArray().Single()));
    }

    [Fact]
    public void OwnConfInstaller_WritesOnceThenLeavesAnIdenticalFileAlone()
    {
        using var dir = new TempDirectory("own-conf");
        var installer = new OwnConfInstaller(dir.Path, "05-sluice.conflist");
        var content = OwnConfList.RedirectOnly(Redirect);

        var first = installer.Reconcile(content);
        var writtenAt = File.GetLastWriteTimeUtc(installer.Path);
        var second = installer.Reconcile(content);

        Assert.Equal(ConfState.Written, first.State);
        Assert.Equal(ConfState.InPlace, second.State);
        Assert.Equal(writtenAt, File.GetLastWriteTimeUtc(installer.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(installer.Path));
    }

    [Fact]
    public void OwnConfInstaller_ChangedOrRemovedFile_IsWrittenAgainAndSaysSo()
    {
        using var dir = new TempDirectory("own-conf");
        var installer = new OwnConfInstaller(dir.Path, "05-sluice.conflist");
        var content = OwnConfList.RedirectOnly(Redirect);
        installer.Reconcile(content);

        File.WriteAllText(installer.Path, """{"cniVersion":"1.0.0","name":"other","plugins":[]}""");
        var changed = installer.Reconcile(content);
        File.Delete(installer.Path);
        var removed = installer.Reconcile(content);

        Assert.Equal((ConfState.Written, $"{installer.Path} had been changed; wrote it again"), (changed.State, changed.Detail));
        Assert.Equal((ConfState.Written, $"{installer.Path} was removed; wrote it again"), (removed.State, removed.Detail));
        Assert.Equal(content, File.ReadAllText(installer.Path));
        Assert.True(installer.Uninstall());
        Assert.False(File.Exists(installer.Path));
        Assert.False(installer.Uninstall());
    }

    [Fact]
    public void OwnConfInstaller_NewContentOverItsOwnLastFile_IsUpdated_NotSomeoneElsesChange()
    {
        using var dir = new TempDirectory("own-conf");
        var installer = new OwnConfInstaller(dir.Path, "05-sluice.conflist");
        installer.Reconcile(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/d", "/s", null, 1500));

        var updated = installer.Reconcile(OwnConfList.PodNetwork(PodCidrs, ClusterCidrs, "/d", "/s", null, 1400));

        Assert.Equal((ConfState.Updated, $"{installer.Path} updated"), (updated.State, updated.Detail));
        Assert.Equal(1400, (int)JsonNode.Parse(File.ReadAllText(installer.Path))!["plugins"]![0]!["mtu"]!);
    }
}
