using System.Text;

namespace Sluice.Redirect.Tests;

/// <summary>The sandbox records sluice-redirect leaves for sluice-agent: what they hold, and what is not accepted as one.</summary>
public sealed class SandboxRecordTests
{
    private static readonly SandboxRecord Sample = new("9c1f0e2d5a7b", "/var/run/netns/cni-4b1c2d3e", "shop", "reviews-7d9f", "6b1f3c52-0c47-4c1e-9a51-3f2d7c0e8b12");

    [Fact]
    public void ToJson_ThenParse_GivesTheSameRecord()
    {
        var parsed = SandboxRecord.Parse(Sample.ToJson(), out var problem);

        Assert.Null(problem);
        Assert.Equal(Sample, parsed);
    }

    [Theory]
    [InlineData("/var/run/netns/cni-4b1c2d3e")]
    [InlineData("/run/netns/a \"quoted\" <path> & 'more' + `tick` \\ é 名\u0001")]
    public void ToJson_EscapesExactlyAsTheDefaultEncoder(string netns)
    {
        // The record is written with the lazy encoder, which builds the default encoder's tables only
        // for a string that needs escaping; the bytes are the default encoder's either way.
        var record = Sample with { NetNs = netns };
        var expected = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(expected))
        {
            writer.WriteStartObject();
            writer.WriteString("containerId", record.ContainerId);
            writer.WriteString("netns", record.NetNs);
            writer.WriteString("namespace", record.Namespace);
            writer.WriteString("name", record.Name);
            writer.WriteString("uid", record.Uid);
            writer.WriteEndObject();
        }

        Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(record.ToJson()));
        Assert.Equal(record, SandboxRecord.Parse(record.ToJson(), out _));
    }

    [Fact]
    public void ToJson_WithoutAUid_LeavesTheKeyOut()
    {
        var json = Encoding.UTF8.GetString((Sample with { Uid = null }).ToJson());

        Assert.DoesNotContain("uid", json, StringComparison.Ordinal);
        Assert.Null(SandboxRecord.Parse(Encoding.UTF8.GetBytes(json), out _)!.Uid);
    }

    [Theory]
    [InlineData("""{"containerId":"c1","netns":"cni-1","namespace":"a","name":"b"}""", "not an absolute path")]
    [InlineData("""{"containerId":"../etc","netns":"/run/netns/x","namespace":"a","name":"b"}""", "not a CNI identifier")]
    [InlineData("""{"containerId":"c1","netns":"/run/netns/x","namespace":"a"}""", "no \"name\"")]
    [InlineData("""{"containerId":"c1","netns":"/run/netns/x","namespace":"","name":"b"}""", "no \"namespace\"")]
    [InlineData("""[1,2]""", "not a JSON object")]
    [InlineData("""{"containerId":""", "not valid JSON")]
    public void Parse_OfSomethingElse_IsNullWithTheReason(string json, string reason)
    {
        Assert.Null(SandboxRecord.Parse(Encoding.UTF8.GetBytes(json), out var problem));
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OfAnOversizedFile_IsRefusedUnread()
    {
        var big = Encoding.UTF8.GetBytes($$"""{"containerId":"c1","netns":"/run/netns/x","namespace":"a","name":"{{new string('b', SandboxRecord.MaxBytes)}}"}""");

        Assert.Null(SandboxRecord.Parse(big, out var problem));
        Assert.Contains("longer than", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc123", true)]
    [InlineData("a.b-c_d", true)]
    [InlineData(".hidden", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    public void IsValidContainerId_FollowsTheCniRuleForFileNames(string id, bool valid) =>
        Assert.Equal(valid, SandboxRecord.IsValidContainerId(id));

    [Fact]
    public void IsValidContainerId_RefusesNamesTooLongForAFile() =>
        Assert.False(SandboxRecord.IsValidContainerId(new string('a', 201)));

    [Fact]
    public void ReadAll_ReturnsRecordsWhoseFileIsNamedAfterTheirContainer_AndReportsTheRest()
    {
        using var dir = new TempDirectory("records");
        File.WriteAllBytes(dir.Combine("9c1f0e2d5a7b.json"), Sample.ToJson());
        File.WriteAllBytes(dir.Combine("other.json"), Sample.ToJson());
        File.WriteAllText(dir.Combine("broken.json"), "{");
        File.WriteAllBytes(dir.Combine(".9c1f0e2d5a7b.json.tmp-1f-2a"), Sample.ToJson());
        var skipped = new List<string>();

        var records = SandboxRecords.ReadAll(dir.Path, (file, _) => skipped.Add(Path.GetFileName(file)));

        Assert.Equal([Sample.ContainerId], records.Select(r => r.ContainerId));
        Assert.True(records[0].Written > DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal(["broken.json", "other.json"], skipped.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ReadAll_OfAMissingDirectory_IsEmpty() =>
        Assert.Empty(SandboxRecords.ReadAll("/nonexistent/sluice/sandboxes"));

    [Fact]
    public void DirectoryFor_IsNextToTheAgentSocket_AndNoneWithoutIt()
    {
        Assert.Equal("/var/run/sluice/sandboxes", SandboxRecords.DirectoryFor("/var/run/sluice/pods.sock"));
        Assert.Null(SandboxRecords.DirectoryFor(null));
    }
}
