using Sluice.Cni;

namespace Sluice.Cni.Tests;

public sealed class CniEnvironmentTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] pairs)
    {
        var map = pairs.ToDictionary(p => p.Key, p => p.Value);
        return key => map.GetValueOrDefault(key);
    }

    private static readonly (string, string)[] Full =
    [
        ("CNI_CONTAINERID", "abc123"), ("CNI_NETNS", "/var/run/netns/pod"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/opt/cni/bin"),
    ];

    [Theory]
    [InlineData("ADD", CniCommand.Add)]
    [InlineData("DEL", CniCommand.Del)]
    [InlineData("CHECK", CniCommand.Check)]
    [InlineData("STATUS", CniCommand.Status)]
    [InlineData("GC", CniCommand.Gc)]
    [InlineData("VERSION", CniCommand.Version)]
    public void Parse_WithEveryVariable_AcceptsEachCommand(string command, CniCommand expected)
    {
        var env = CniEnvironment.Parse(Env([("CNI_COMMAND", command), .. Full]));
        Assert.Equal(expected, env.Command);
    }

    [Theory]
    [InlineData("ADD", "CNI_CONTAINERID")]
    [InlineData("ADD", "CNI_NETNS")]
    [InlineData("ADD", "CNI_IFNAME")]
    [InlineData("CHECK", "CNI_CONTAINERID")]
    [InlineData("CHECK", "CNI_NETNS")]
    [InlineData("CHECK", "CNI_IFNAME")]
    [InlineData("DEL", "CNI_CONTAINERID")]
    [InlineData("DEL", "CNI_IFNAME")]
    [InlineData("GC", "CNI_PATH")]
    public void Parse_WhenRequiredVariableMissing_FailsWithCode4NamingIt(string command, string missing)
    {
        var pairs = Full.Where(p => p.Item1 != missing).Append(("CNI_COMMAND", command)).ToArray();
        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env(pairs)));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(192, true)]
    [InlineData(193, false)]
    public void Parse_ContainerIdLength_IsAcceptedUpToTheLimitThatKeepsFileNamesValid(int length, bool accepted)
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_CONTAINERID").Append(("CNI_CONTAINERID", new string('c', length))).Append(("CNI_COMMAND", "ADD")).ToArray();
        if (accepted)
        {
            Assert.Equal(length, CniEnvironment.Parse(Env(pairs)).ContainerId.Length);
            return;
        }

        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env(pairs)));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_CONTAINERID", error.Message, StringComparison.Ordinal);
        Assert.Contains("193 characters long, more than the 192 accepted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WhenSeveralVariablesMissing_NamesThemAll()
    {
        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env(("CNI_COMMAND", "ADD"))));
        Assert.Contains("CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DEL")]
    [InlineData("STATUS")]
    [InlineData("VERSION")]
    public void Parse_WithoutNetns_IsFineForCommandsThatDoNotNeedIt(string command)
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_NETNS").Append(("CNI_COMMAND", command)).ToArray();
        Assert.Equal("", CniEnvironment.Parse(Env(pairs)).NetNs);
    }

    [Fact]
    public void Parse_StatusAndVersion_NeedNothingButTheCommand()
    {
        Assert.Equal(CniCommand.Status, CniEnvironment.Parse(Env(("CNI_COMMAND", "STATUS"))).Command);
        Assert.Equal(CniCommand.Version, CniEnvironment.Parse(Env(("CNI_COMMAND", "VERSION"))).Command);
    }

    [Theory]
    [InlineData("")]
    [InlineData("add")]
    [InlineData("DELETE")]
    public void Parse_WithUnknownOrMissingCommand_FailsWithCode4(string command)
    {
        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env([("CNI_COMMAND", command), .. Full])));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_COMMAND", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-abc")]
    [InlineData("_abc")]
    [InlineData(".abc")]
    [InlineData("abc/def")]
    [InlineData("abc def")]
    [InlineData("abc:def")]
    [InlineData("ab$c")]
    public void Parse_WithIllegalContainerId_FailsWithCode4(string containerId)
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_CONTAINERID").Append(("CNI_CONTAINERID", containerId)).Append(("CNI_COMMAND", "ADD")).ToArray();
        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env(pairs)));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_CONTAINERID", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("pod_1.infra-2")]
    public void Parse_WithLegalContainerId_Accepts(string containerId)
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_CONTAINERID").Append(("CNI_CONTAINERID", containerId)).Append(("CNI_COMMAND", "ADD")).ToArray();
        Assert.Equal(containerId, CniEnvironment.Parse(Env(pairs)).ContainerId);
    }

    [Theory]
    [InlineData("0123456789abcdef", "longer than 15 bytes")]
    [InlineData("ethé0123456789a", "longer than 15 bytes")]
    [InlineData(".", "'.' or '..'")]
    [InlineData("..", "'.' or '..'")]
    [InlineData("eth/0", "'/'")]
    [InlineData("eth:0", "':'")]
    [InlineData("eth 0", "whitespace")]
    [InlineData("eth\t0", "whitespace")]
    public void Parse_WithIllegalInterfaceName_FailsWithCode4SayingWhy(string ifName, string reason)
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_IFNAME").Append(("CNI_IFNAME", ifName)).Append(("CNI_COMMAND", "ADD")).ToArray();
        var error = Assert.Throws<CniException>(() => CniEnvironment.Parse(Env(pairs)));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_IFNAME", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InterfaceNameOfExactly15Bytes_IsAccepted()
    {
        var pairs = Full.Where(p => p.Item1 != "CNI_IFNAME").Append(("CNI_IFNAME", "abcdefghijklmno")).Append(("CNI_COMMAND", "ADD")).ToArray();
        Assert.Equal("abcdefghijklmno", CniEnvironment.Parse(Env(pairs)).IfName);
    }

    [Fact]
    public void Parse_CniPath_SplitsOnColonsAndDropsEmptyEntries()
    {
        var env = CniEnvironment.Parse(Env(("CNI_COMMAND", "GC"), ("CNI_PATH", "/opt/cni/bin::/usr/lib/cni:")));
        Assert.Equal(["/opt/cni/bin", "/usr/lib/cni"], env.Path);
    }
}
