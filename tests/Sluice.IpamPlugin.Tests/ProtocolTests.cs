using System.Text.Json.Nodes;

namespace Sluice.IpamPlugin.Tests;

/// <summary>The published binary answers as a runtime expects: env and stdin in, JSON out, exit code.</summary>
public sealed class ProtocolTests
{
    private static string Binary => RepoPaths.Binary("sluice-ipam");

    [Fact]
    public void Version_WithEmptyStdin_ListsTheSupportedVersions()
    {
        var result = ProcessRunner.Run(Binary, new Dictionary<string, string> { ["CNI_COMMAND"] = "VERSION" }, "");
        Assert.Equal(0, result.ExitCode);
        var json = JsonNode.Parse(result.Stdout)!;
        Assert.Equal("1.1.0", (string?)json["cniVersion"]);
        Assert.Equal(["0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"], json["supportedVersions"]!.AsArray().Select(v => (string)v!));
    }

    public static TheoryData<string, Dictionary<string, string>, string, int, string> BadInputs => new()
    {
        { "no command", new() { }, "{}", 4, "CNI_COMMAND" },
        { "unknown command", new() { ["CNI_COMMAND"] = "PING" }, "{}", 4, "CNI_COMMAND 'PING'" },
        { "no container id", new() { ["CNI_COMMAND"] = "ADD", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, "{}", 4, "CNI_CONTAINERID" },
        { "bad container id", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "../etc", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, "{}", 4, "CNI_CONTAINERID '../etc'" },
        { "long ifname", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "averyverylongname0" }, "{}", 4, "longer than 15 bytes" },
        { "malformed json", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, "{\"cniVersion\":", 6, "cannot decode network configuration" },
        { "old version", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, """{"cniVersion":"0.2.0","name":"n","type":"sluice-ipam"}""", 1, "0.2.0" },
        { "unknown CNI_ARGS", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0", ["CNI_ARGS"] = "COLOR=blue" }, """{"cniVersion":"1.0.0","name":"n","type":"sluice-ipam","ipam":{"ranges":[[{"subnet":"10.0.0.0/24"}]]}}""", 4, "COLOR" },
        { "no ranges", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, """{"cniVersion":"1.0.0","name":"n","type":"sluice-ipam","ipam":{}}""", 7, "nothing to allocate from" },
        { "bad subnet", new() { ["CNI_COMMAND"] = "ADD", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, """{"cniVersion":"1.0.0","name":"n","type":"sluice-ipam","ipam":{"ranges":[[{"subnet":"10.0.0.0/33"}]]}}""", 7, "ipam.ranges[0][0].subnet" },
        { "check on 0.3.1", new() { ["CNI_COMMAND"] = "CHECK", ["CNI_CONTAINERID"] = "c", ["CNI_NETNS"] = "/x", ["CNI_IFNAME"] = "eth0" }, """{"cniVersion":"0.3.1","name":"n","type":"sluice-ipam"}""", 1, "CHECK needs cniVersion 0.4.0" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_GivesAnErrorObjectOnStdoutAndExit1(string what, Dictionary<string, string> env, string stdin, int code, string fragment)
    {
        var result = ProcessRunner.Run(Binary, env, stdin);
        Assert.True(result.ExitCode == 1, $"{what}: {result}");
        var error = JsonNode.Parse(result.Stdout)!;
        Assert.Equal(code, (int)error["code"]!);
        Assert.Contains(fragment, (string)error["msg"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }
}
