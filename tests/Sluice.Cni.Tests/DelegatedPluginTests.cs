using Sluice.Cni.Logging;
using Sluice.Cni.Plugin;

namespace Sluice.Cni.Tests;

public sealed class DelegatedPluginTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Script(string name, string body)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private CniEnvironment Env(string command = "ADD") => new()
    {
        Command = Enum.Parse<CniCommand>(command, ignoreCase: true),
        ContainerId = "ctr1",
        NetNs = "/var/run/netns/p1",
        IfName = "eth0",
        Args = CniArgs.Parse("IgnoreUnknown=1;K8S_POD_NAME=web"),
        Path = ["/nonexistent", _dir.Path],
    };

    [Fact]
    public void Add_PassesEnvironmentAndFullConfigAndParsesTheResult()
    {
        var record = _dir.Combine("record");
        Script("fake-ipam", $$"""
            env | grep ^CNI_ | sort > {{record}}.env
            cat > {{record}}.stdin
            echo "stderr line" >&2
            echo '{"cniVersion":"1.0.0","ips":[{"address":"10.5.0.9/16","gateway":"10.5.0.1"}]}'
            """);
        const string config = """{"cniVersion":"1.0.0","name":"n","type":"x","ipam":{"type":"fake-ipam"}}""";
        var result = new DelegatedPlugin("fake-ipam", Env(), System.Text.Encoding.UTF8.GetBytes(config), CniLog.Null).Add();

        Assert.Equal("10.5.0.9/16", result.Ips![0].Address);
        Assert.Equal(config, File.ReadAllText(record + ".stdin"));
        var env = File.ReadAllLines(record + ".env");
        Assert.Contains("CNI_COMMAND=ADD", env);
        Assert.Contains("CNI_CONTAINERID=ctr1", env);
        Assert.Contains("CNI_NETNS=/var/run/netns/p1", env);
        Assert.Contains("CNI_IFNAME=eth0", env);
        Assert.Contains("CNI_ARGS=IgnoreUnknown=1;K8S_POD_NAME=web", env);
        Assert.Contains($"CNI_PATH=/nonexistent:{_dir.Path}", env);
    }

    [Fact]
    public void Del_SetsItsOwnCommand()
    {
        var record = _dir.Combine("cmd");
        Script("fake-ipam", $"echo $CNI_COMMAND > {record}");
        new DelegatedPlugin("fake-ipam", Env(), "{}"u8.ToArray(), CniLog.Null).Del();
        Assert.Equal("DEL", File.ReadAllText(record).Trim());
    }

    [Fact]
    public void DelegateErrorObject_IsPropagatedWithItsCode()
    {
        Script("fake-ipam", """echo '{"cniVersion":"1.0.0","code":11,"msg":"no addresses","details":"pool full"}'; exit 1""");
        var error = Assert.Throws<CniException>(() => new DelegatedPlugin("fake-ipam", Env(), "{}"u8.ToArray(), CniLog.Null).Add());
        Assert.Equal(11, error.Code);
        Assert.Equal("fake-ipam: no addresses", error.Message);
        Assert.Equal("pool full", error.Details);
    }

    [Fact]
    public void DelegateFailingWithoutErrorObject_IsCode999WithItsOutput()
    {
        Script("fake-ipam", "echo 'panic: oops'; exit 2");
        var error = Assert.Throws<CniException>(() => new DelegatedPlugin("fake-ipam", Env(), "{}"u8.ToArray(), CniLog.Null).Del());
        Assert.Equal(CniErrorCode.Internal, error.Code);
        Assert.Contains("exit code 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("panic: oops", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DelegateWithBadResult_FailsWithCode6()
    {
        Script("fake-ipam", """echo '{"ips":[{"address":"nonsense"}]}'""");
        var error = Assert.Throws<CniException>(() => new DelegatedPlugin("fake-ipam", Env(), "{}"u8.ToArray(), CniLog.Null).Add());
        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }

    [Fact]
    public void Find_WhenMissing_NamesCniPath()
    {
        var error = Assert.Throws<CniException>(() => DelegatedPlugin.Find("host-local", ["/a", "/b"]));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("not found in CNI_PATH (/a:/b)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../bin/sh")]
    [InlineData("")]
    [InlineData("..")]
    public void Find_RejectsTypesThatAreNotPluginNames(string type)
    {
        var error = Assert.Throws<CniException>(() => DelegatedPlugin.Find(type, [_dir.Path]));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
    }

    [Fact]
    public void Find_TakesTheFirstDirectoryThatHasIt()
    {
        using var other = new TempDirectory();
        var first = Script("p", "true");
        File.WriteAllText(Path.Combine(other.Path, "p"), "");
        Assert.Equal(first, DelegatedPlugin.Find("p", [_dir.Path, other.Path]));
    }
}
