using Sluice.Agent.Capture;
using static Sluice.Agent.Tests.Capture.CapturePods;

namespace Sluice.Agent.Tests.Capture;

/// <summary>The pod list the reconciler keeps in the run dir for a restart without the API server.</summary>
public sealed class PodSnapshotTests : IDisposable
{
    private readonly TempDirectory _dir = new("pod-snapshot");

    public void Dispose() => _dir.Dispose();

    private PodSnapshot Snapshot() => new(_dir.Combine("capture-pods.json"), new AgentLog(TextWriter.Null, "error"));

    [Fact]
    public void SaveThenLoad_GivesThePodsBack_WithTheSameDecision()
    {
        var pods = new[] { Running(SamplePods.Istio("shop", "reviews"), "10.1.0.5"), Read(SamplePods.Plain("batch", "job")) };
        var plugin = Plugin("--profile", "istio");

        Snapshot().Save(pods);
        var loaded = Snapshot().Load();

        Assert.Equal(["reviews", "job"], loaded.Select(p => p.Metadata.Name));
        Assert.Equal(pods[0].Metadata.Uid, loaded[0].Metadata.Uid);
        Assert.Equal(["10.1.0.5"], loaded[0].Status.PodIPs.Select(ip => ip.Ip));
        Assert.Equal(DesiredCapture.For(pods[0], plugin, "node-a").Policy, DesiredCapture.For(loaded[0], plugin, "node-a").Policy);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.Combine("capture-pods.json")));
    }

    [Fact]
    public void Save_KeepsOnlyTheEnvironmentTheDecisionReads()
    {
        var pod = Edited(SamplePods.Istio("shop", "reviews"), p =>
            p["spec"]!["containers"]![1]!["env"] = System.Text.Json.Nodes.JsonNode.Parse("""[{"name":"DB_PASSWORD","value":"hunter2"},{"name":"ISTIO_META_DNS_CAPTURE","value":"true"}]"""));

        Snapshot().Save([pod]);

        var text = File.ReadAllText(_dir.Combine("capture-pods.json"));
        Assert.DoesNotContain("hunter2", text, StringComparison.Ordinal);
        Assert.Equal(15053, DesiredCapture.For(Snapshot().Load()[0], Plugin("--profile", "istio"), "node-a").Policy!.DnsPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[{\"metadata\":{\"name\":1}}]")]
    [InlineData("{\"not\":\"a list\"}")]
    public void Load_OfABrokenFile_IsEmpty(string content)
    {
        File.WriteAllText(_dir.Combine("capture-pods.json"), content);

        Assert.Empty(Snapshot().Load());
    }

    [Fact]
    public void Load_WithoutAFile_IsEmpty() => Assert.Empty(Snapshot().Load());
}
