using System.Text.Json.Nodes;
using Sluice.Agent.Install;

namespace Sluice.Agent.Tests;

public sealed class ChainedConfListTests
{
    private static readonly JsonObject Entry = JsonNode.Parse("""{"type":"sluice-redirect","profile":"istio"}""")!.AsObject();

    private static JsonArray Plugins(string text) => JsonNode.Parse(text)!["plugins"]!.AsArray();

    [Fact]
    public void Insert_SinglePluginConf_BecomesAListKeepingVersionAndNameWithOurEntryLast()
    {
        var text = ChainedConfList.Insert("""{"cniVersion":"0.4.0","name":"k8s","type":"bridge","bridge":"cni0"}""", "10-bridge.conf", Entry);

        var list = JsonNode.Parse(text)!;
        Assert.Equal("0.4.0", (string?)list["cniVersion"]);
        Assert.Equal("k8s", (string?)list["name"]);
        Assert.Equal("""[{"type":"bridge","bridge":"cni0"},{"type":"sluice-redirect","profile":"istio"}]""", Plugins(text).ToJsonString());
    }

    [Fact]
    public void Insert_ExistingSluiceRedirectEntries_AreReplacedByOneEntryLast()
    {
        var text = ChainedConfList.Insert(
            """{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"sluice-redirect","profile":"old"},{"type":"calico"},{"type":"sluice-redirect"},{"type":"portmap"}]}""",
            "10-calico.conflist",
            Entry);

        Assert.Equal(["calico", "portmap", "sluice-redirect"], Plugins(text).Select(p => (string)p!["type"]!));
        Assert.Equal("istio", (string?)Plugins(text)[^1]!["profile"]);
    }

    [Fact]
    public void Insert_UnknownKeysOfOtherPlugins_AreKeptAsTheyWere()
    {
        var text = ChainedConfList.Insert("""{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"cilium-cni","enable-debug":false,"x":{"y":[1,2]}}]}""", "05-cilium.conflist", Entry);

        Assert.Equal("""{"type":"cilium-cni","enable-debug":false,"x":{"y":[1,2]}}""", Plugins(text)[0]!.ToJsonString());
    }

    [Theory]
    [InlineData("{\"cniVersion\":", "is not valid JSON")]
    [InlineData("[1,2]", "is not a JSON object")]
    [InlineData("{\"name\":\"x\"}", "neither \"plugins\" nor \"type\"")]
    public void Insert_FileThatIsNoCniConfiguration_IsRefusedNamingTheFileAndTheProblem(string text, string expected)
    {
        var error = Assert.Throws<ConfListException>(() => ChainedConfList.Insert(text, "/etc/cni/net.d/10-x.conf", Entry));

        Assert.Contains("/etc/cni/net.d/10-x.conf", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Remove_InstalledEntry_LeavesTheOtherPluginsAndReturnsNullWhenNoneIsLeft()
    {
        var installed = ChainedConfList.Insert("""{"cniVersion":"1.0.0","name":"k8s","plugins":[{"type":"bridge"}]}""", "f", Entry);

        var removed = ChainedConfList.Remove(installed, "f")!;

        Assert.Equal("""[{"type":"bridge"}]""", Plugins(removed).ToJsonString());
        Assert.Null(ChainedConfList.Remove(removed, "f"));
    }

    [Fact]
    public void HasEntryLast_ExactlyWhatInsertWrote_IsTrueAndAnythingElseFalse()
    {
        var installed = ChainedConfList.Insert("""{"cniVersion":"1.0.0","name":"k8s","type":"bridge"}""", "f", Entry);

        Assert.True(ChainedConfList.HasEntryLast(installed, "f", Entry));
        Assert.False(ChainedConfList.HasEntryLast("""{"cniVersion":"1.0.0","name":"k8s","type":"sluice-redirect","profile":"istio"}""", "f", Entry));
        Assert.False(ChainedConfList.HasEntryLast(installed, "f", JsonNode.Parse("""{"type":"sluice-redirect","profile":"msm"}""")!.AsObject()));
    }
}
