using System.Text;
using System.Text.Json.Nodes;
using Sluice.Cni.Plugin;

namespace Sluice.Cni.Tests;

public sealed class CniDispatcherTests
{
    private static readonly (string, string)[] AddEnv =
        [("CNI_COMMAND", "ADD"), ("CNI_CONTAINERID", "c1"), ("CNI_NETNS", "/var/run/netns/pod"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/opt/cni/bin")];

    private static (string, string)[] EnvFor(string command) =>
        [.. AddEnv.Where(p => p.Item1 != "CNI_COMMAND"), ("CNI_COMMAND", command)];

    private static string Config(string version = "1.1.0", string extra = "") =>
        $$"""{"cniVersion":"{{version}}","name":"net1","type":"test-plugin"{{extra}}}""";

    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    private static void AssertError(string stdout, int code, string fragment)
    {
        var error = Json(stdout);
        Assert.Equal(code, (int)error["code"]!);
        Assert.Contains(fragment, (string)error["msg"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("""{"cniVersion":"0.4.0"}""")]
    [InlineData("""{"cniVersion":"9.9.9"}""")]
    public void Version_PrintsSupportedVersionsWithTheInputVersionIfSupported(string stdin)
    {
        var (exit, stdout, _) = new TestPlugin().Run(stdin, ("CNI_COMMAND", "VERSION"));
        Assert.Equal(0, exit);
        var json = Json(stdout);
        Assert.Equal(stdin.Contains("0.4.0", StringComparison.Ordinal) ? "0.4.0" : "1.1.0", (string?)json["cniVersion"]);
        Assert.Equal(CniVersions.Supported, json["supportedVersions"]!.AsArray().Select(v => (string)v!));
    }

    [Theory]
    [MemberData(nameof(ResultConversionTests.Versions), MemberType = typeof(ResultConversionTests))]
    public void Add_PrintsTheResultInTheConfigVersion(string version)
    {
        var plugin = new TestPlugin();
        var (exit, stdout, _) = plugin.Run(Config(version), AddEnv);
        Assert.Equal(0, exit);
        var json = Json(stdout);
        Assert.Equal(version, (string?)json["cniVersion"]);
        Assert.Equal(CniVersions.AtLeast(version, "1.0.0") ? null : "4", (string?)json["ips"]![0]!["version"]);
        Assert.Equal(version == "1.1.0", json["interfaces"]![0]!["mtu"] is not null);
        Assert.Equal(["ADD"], plugin.Calls);
    }

    [Theory]
    [InlineData("CHECK", "0.3.1", "0.4.0")]
    [InlineData("CHECK", "0.3.0", "0.4.0")]
    [InlineData("STATUS", "1.0.0", "1.1.0")]
    [InlineData("GC", "1.0.0", "1.1.0")]
    [InlineData("GC", "0.4.0", "1.1.0")]
    public void CommandNewerThanConfigVersion_FailsWithCode1(string command, string version, string needed)
    {
        var plugin = new TestPlugin();
        var (exit, stdout, _) = plugin.Run(Config(version), EnvFor(command));
        Assert.NotEqual(0, exit);
        AssertError(stdout, CniErrorCode.IncompatibleCniVersion, needed);
        Assert.Empty(plugin.Calls);
    }

    [Theory]
    [InlineData("CHECK", "0.4.0")]
    [InlineData("STATUS", "1.1.0")]
    [InlineData("GC", "1.1.0")]
    public void CommandAtItsFirstVersion_IsDispatched(string command, string version)
    {
        var plugin = new TestPlugin();
        Assert.Equal(0, plugin.Run(Config(version), EnvFor(command)).Exit);
        Assert.Equal([command], plugin.Calls);
    }

    [Fact]
    public void Config_WithoutCniVersion_IsTakenAs010AndRejected()
    {
        var (_, stdout, _) = new TestPlugin().Run("""{"name":"n","type":"t"}""", AddEnv);
        AssertError(stdout, CniErrorCode.IncompatibleCniVersion, "no cniVersion (taken as 0.1.0)");
    }

    [Theory]
    [InlineData("0.2.0")]
    [InlineData("2.0.0")]
    public void Config_WithUnsupportedVersion_FailsWithCode1ListingSupported(string version)
    {
        var (_, stdout, _) = new TestPlugin().Run(Config(version), AddEnv);
        AssertError(stdout, CniErrorCode.IncompatibleCniVersion, "0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0");
    }

    [Theory]
    [InlineData("{", "cannot decode network configuration")]
    [InlineData("[]", "cannot decode network configuration")]
    [InlineData("", "network configuration is empty")]
    [InlineData("not json", "cannot decode network configuration")]
    public void MalformedJson_FailsWithCode6(string stdin, string fragment)
    {
        var (exit, stdout, _) = new TestPlugin().Run(stdin, AddEnv);
        Assert.Equal(1, exit);
        AssertError(stdout, CniErrorCode.DecodingFailure, fragment);
    }

    [Theory]
    [InlineData("ADD")]
    [InlineData("DEL")]
    [InlineData("CHECK")]
    public void InvalidUtf8_FailsWithCode6NamingTheByte_WithoutAStackTrace(string command)
    {
        // Found by the reliability suite's mutations: a byte that is not UTF-8 inside a string made
        // the reader throw InvalidOperationException, reported as error 999 with a stack trace.
        var stdin = Encoding.UTF8.GetBytes(Config(extra: ""","bridge":"br"""));
        stdin[^4] = 0xB9;
        var plugin = new TestPlugin();

        var (exit, stdout, stderr) = plugin.Run(stdin, EnvFor(command));

        Assert.Equal(1, exit);
        AssertError(stdout, CniErrorCode.DecodingFailure, $"not valid UTF-8 (byte {stdin.Length - 4})");
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Empty(plugin.Calls);
    }

    [Fact]
    public void Version_WithInvalidUtf8_StillAnswers()
    {
        var stdin = Encoding.UTF8.GetBytes("""{"cniVersion":"1.1.0"}""");
        stdin[^4] = 0xFF;

        var (exit, stdout, _) = new TestPlugin().Run(stdin, ("CNI_COMMAND", "VERSION"));

        Assert.Equal(0, exit);
        Assert.Equal(CniVersions.Latest, (string?)Json(stdout)["cniVersion"]);
    }

    [Theory]
    [InlineData(""","mtu":"big" """, "field 'mtu' expected an integer")]
    [InlineData(""","ipMasq":"yes" """, "field 'ipMasq' expected true or false")]
    [InlineData(""","dns":{"nameservers":"1.1.1.1"}""", "field 'dns.nameservers' expected an array")]
    public void FieldOfTheWrongType_FailsWithCode6NamingTheField(string extra, string fragment)
    {
        var (_, stdout, _) = new TestPlugin().Run(Config(extra: extra), AddEnv);
        AssertError(stdout, CniErrorCode.DecodingFailure, fragment);
    }

    [Fact]
    public void MissingType_FailsWithCode7()
    {
        var (_, stdout, _) = new TestPlugin().Run("""{"cniVersion":"1.0.0","name":"n"}""", AddEnv);
        AssertError(stdout, CniErrorCode.InvalidNetworkConfig, "'type' is missing");
    }

    [Theory]
    [InlineData("-net")]
    [InlineData("my net")]
    [InlineData("a/b")]
    public void IllegalNetworkName_FailsWithCode7(string name)
    {
        var (_, stdout, _) = new TestPlugin().Run($$"""{"cniVersion":"1.0.0","name":"{{name}}","type":"t"}""", AddEnv);
        AssertError(stdout, CniErrorCode.InvalidNetworkConfig, "'name'");
    }

    [Fact]
    public void MissingEnvironment_IsReportedBeforeTheConfigIsRead()
    {
        var (_, stdout, _) = new TestPlugin().Run("{garbage", ("CNI_COMMAND", "ADD"));
        AssertError(stdout, CniErrorCode.InvalidEnvironmentVariables, "CNI_CONTAINERID");
    }

    [Fact]
    public void ErrorObject_CarriesTheConfigVersion()
    {
        var (_, stdout, _) = new TestPlugin().Run(Config("0.4.0"), ("CNI_COMMAND", "ADD"));
        Assert.Equal("0.4.0", (string?)Json(stdout)["cniVersion"]);
    }

    [Fact]
    public void UnknownCniArgsKey_FailsWithCode4UnlessIgnoreUnknown()
    {
        var plugin = new TestPlugin();
        var (_, stdout, _) = plugin.Run(Config(), [.. AddEnv, ("CNI_ARGS", "FOO=bar")]);
        AssertError(stdout, CniErrorCode.InvalidEnvironmentVariables, "FOO");
        Assert.Equal(0, plugin.Run(Config(), [.. AddEnv, ("CNI_ARGS", "IgnoreUnknown=1;FOO=bar")]).Exit);
        Assert.Equal("bar", plugin.Last!.Env.Args.Get("FOO"));
    }

    [Fact]
    public void Del_WithoutNetnsAndPrevResult_ReachesThePlugin()
    {
        var plugin = new TestPlugin();
        var env = AddEnv.Where(p => p.Item1 is not ("CNI_NETNS" or "CNI_COMMAND")).Append(("CNI_COMMAND", "DEL")).ToArray();
        var (exit, stdout, _) = plugin.Run(Config(), env);
        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal("", plugin.Last!.Env.NetNs);
        Assert.Null(plugin.Last.PrevResult);
    }

    [Fact]
    public void PrevResult_IsParsedValidatedAndOffered()
    {
        var plugin = new TestPlugin();
        var prev = ""","prevResult":{"cniVersion":"0.3.1","interfaces":[{"name":"eth0","sandbox":"/x"}],"ips":[{"version":"4","address":"10.9.0.3/16","interface":0}]}""";
        Assert.Equal(0, plugin.Run(Config("0.3.1", prev), AddEnv).Exit);
        Assert.Equal("10.9.0.3/16", plugin.Last!.PrevResult!.Ips![0].Address);
    }

    [Fact]
    public void InvalidPrevResult_FailsWithCode6NamingTheField()
    {
        var (_, stdout, _) = new TestPlugin().Run(Config(extra: ""","prevResult":{"ips":[{"address":"10.9.0.3"}]}"""), AddEnv);
        AssertError(stdout, CniErrorCode.DecodingFailure, "prevResult.ips[0].address");
    }

    [Fact]
    public void RuntimeConfig_KeysMatchCaseInsensitively()
    {
        var plugin = new TestPlugin();
        var runtime = ""","runtimeConfig":{"PortMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"1.2.3.4"}],"MAC":"aa:bb:cc:dd:ee:ff","IPs":["10.0.0.9/24"]}""";
        Assert.Equal(0, plugin.Run(Config(extra: runtime), AddEnv).Exit);
        var rc = plugin.Last!.Config.RuntimeConfig!;
        Assert.Equal(8080, rc.PortMappings![0].HostPort);
        Assert.Equal(80, rc.PortMappings[0].ContainerPort);
        Assert.Equal("1.2.3.4", rc.PortMappings[0].HostIp);
        Assert.Equal("aa:bb:cc:dd:ee:ff", rc.Mac);
        Assert.Equal(["10.0.0.9/24"], rc.Ips);
    }

    [Fact]
    public void UnknownConfigFields_AreSkippedAndKeptInTheRawConfigForDelegates()
    {
        var plugin = new TestPlugin();
        var extra = ""","vendorThing":{"a":1},"args":{"cni":{"ips":["10.0.0.7"],"mac":"02:00:00:00:00:01"},"other":true},"cni.dev/extra":1""";
        Assert.Equal(0, plugin.Run(Config(extra: extra), AddEnv).Exit);
        var config = plugin.Last!.Config;
        Assert.Contains("\"vendorThing\":{\"a\":1}", System.Text.Encoding.UTF8.GetString(plugin.Last.RawConfig.Span), StringComparison.Ordinal);
        Assert.Equal(["10.0.0.7"], config.Args!.Cni!.Ips);
        Assert.Equal("02:00:00:00:00:01", config.Args.Cni.Mac);
    }

    [Theory]
    [InlineData("cni.dev/valid-attachments")]
    [InlineData("cni.dev/attachments")]
    public void Gc_ReadsTheValidAttachmentsUnderEitherKey(string key)
    {
        var plugin = new TestPlugin();
        var extra = $$""","{{key}}":[{"containerID":"c1","ifname":"eth0"},{"containerID":"c2","ifname":"net1"}]""";
        Assert.Equal(0, plugin.Run(Config(extra: extra), ("CNI_COMMAND", "GC"), ("CNI_PATH", "/opt/cni/bin")).Exit);
        var valid = plugin.Last!.Config.GcValidAttachments;
        Assert.Equal(2, valid.Count);
        Assert.Equal("c2", valid[1].ContainerId);
        Assert.Equal("net1", valid[1].IfName);
    }

    [Theory]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":"x/../../etc"}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":".."}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":"a:b"}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":"eth 0"}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":"sixteen-bytes-xx"}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c1","ifname":""}""", "cni.dev/valid-attachments[1].ifname")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"../c1","ifname":"eth0"}""", "cni.dev/valid-attachments[1].containerID")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"","ifname":"eth0"}""", "cni.dev/valid-attachments[1].containerID")]
    [InlineData("cni.dev/valid-attachments", """{"containerID":"c/1","ifname":"eth0"}""", "cni.dev/valid-attachments[1].containerID")]
    [InlineData("cni.dev/attachments", """{"containerID":"c1","ifname":"x/y"}""", "cni.dev/attachments[1].ifname")]
    public void Gc_InvalidAttachment_IsError7NamingItsIndex_AndThePluginNeverRuns(string key, string entry, string field)
    {
        var plugin = new TestPlugin();
        var extra = $$""","{{key}}":[{"containerID":"ok","ifname":"eth0"},{{entry}}]""";
        var (exit, stdout, _) = plugin.Run(Config(extra: extra), ("CNI_COMMAND", "GC"), ("CNI_PATH", "/opt/cni/bin"));
        Assert.Equal(1, exit);
        var json = Json(stdout);
        Assert.Equal(7, (int)json["code"]!);
        Assert.Contains($"'{field}'", (string)json["msg"]!, StringComparison.Ordinal);
        Assert.Null(plugin.Last);
    }

    [Fact]
    public void CniExceptionFromThePlugin_BecomesItsErrorObject()
    {
        var plugin = new TestPlugin { Throw = new CniException(CniErrorCode.TryAgainLater, "busy", "details here") };
        var (exit, stdout, _) = plugin.Run(Config(), AddEnv);
        Assert.Equal(1, exit);
        var json = Json(stdout);
        Assert.Equal(11, (int)json["code"]!);
        Assert.Equal("busy", (string?)json["msg"]);
        Assert.Equal("details here", (string?)json["details"]);
    }

    [Fact]
    public void UnexpectedException_BecomesCode999WithoutStackTraceOnStdout()
    {
        var plugin = new TestPlugin { Throw = new InvalidOperationException("the thing broke") };
        var (exit, stdout, stderr) = plugin.Run(Config(), AddEnv);
        Assert.Equal(1, exit);
        AssertError(stdout, CniErrorCode.Internal, "InvalidOperationException: the thing broke");
        Assert.DoesNotContain(" at ", stdout, StringComparison.Ordinal);
        Assert.Contains("at Sluice.Cni.Tests.TestPlugin", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void IoException_BecomesCode5()
    {
        var plugin = new TestPlugin { Throw = new IOException("disk on fire") };
        var (_, stdout, _) = plugin.Run(Config(), AddEnv);
        AssertError(stdout, CniErrorCode.IoFailure, "disk on fire");
    }

    [Fact]
    public void Logging_NeverWritesToStdout()
    {
        var plugin = new TestPlugin();
        var (_, stdout, stderr) = plugin.Run(Config(extra: ""","logLevel":"debug" """), AddEnv);
        Assert.Contains("done in", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("done in", stdout, StringComparison.Ordinal);
        Assert.NotNull(Json(stdout)["ips"]);
    }

    [Fact]
    public void LogFile_ReceivesTheRecordsWithContainerAndPod()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("plugin.log");
        var plugin = new TestPlugin();
        var extra = $$""","logLevel":"info","logFile":"{{path}}" """;
        Assert.Equal(0, plugin.Run(Config(extra: extra), [.. AddEnv, ("CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0")]).Exit);
        var log = File.ReadAllText(path);
        Assert.Matches(@"info test-plugin ADD container=c1 pod=shop/web-0 \+[0-9.]+ms: done in", log);
    }

    [Fact]
    public void InvalidLogLevel_FailsWithCode7NamingTheField()
    {
        var (_, stdout, _) = new TestPlugin().Run(Config(extra: ""","logLevel":"loud" """), AddEnv);
        AssertError(stdout, CniErrorCode.InvalidNetworkConfig, "'logLevel' 'loud'");
    }

    [Fact]
    public void LogFile_InADirectoryThatDoesNotExist_IsNotCreatedAndTheCallSucceeds()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("missing", "plugin.log");
        var (exit, _, stderr) = new TestPlugin().Run(Config(extra: $$""","logLevel":"info","logFile":"{{path}}" """), AddEnv);

        Assert.Equal(0, exit);
        Assert.False(Directory.Exists(dir.Combine("missing")));
        Assert.Contains($"cannot write log file {path}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LogFile_ThatIsASymbolicLink_IsNotWrittenThrough()
    {
        using var dir = new TempDirectory();
        var target = dir.Combine("target");
        File.WriteAllText(target, "untouched");
        var link = dir.Combine("plugin.log");
        File.CreateSymbolicLink(link, target);

        var (exit, _, stderr) = new TestPlugin().Run(Config(extra: $$""","logLevel":"info","logFile":"{{link}}" """), AddEnv);

        Assert.Equal(0, exit);
        Assert.Equal("untouched", File.ReadAllText(target));
        Assert.Contains("Too many levels of symbolic links", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LogFile_ThatIsAFifo_IsRefusedWithoutBlocking()
    {
        using var dir = new TempDirectory();
        var fifo = dir.Combine("plugin.log");
        using (var mkfifo = System.Diagnostics.Process.Start("/usr/bin/mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var (exit, _, stderr) = new TestPlugin().Run(Config(extra: $$""","logLevel":"info","logFile":"{{fifo}}" """), AddEnv);

        Assert.Equal(0, exit);
        Assert.Contains($"cannot write log file {fifo}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void LogFile_RelativePath_FailsWithCode7NamingTheField()
    {
        var (_, stdout, _) = new TestPlugin().Run(Config(extra: ""","logFile":"logs/plugin.log" """), AddEnv);

        AssertError(stdout, CniErrorCode.InvalidNetworkConfig, "'logFile' 'logs/plugin.log' is not an absolute path");
    }

    [Fact]
    public void Stdin_LargerThanTheLimit_IsError6WithoutReadingItAll()
    {
        var input = new byte[CniDispatcher.MaxInput + 1];
        input.AsSpan().Fill((byte)' ');

        var (exit, stdout, _) = new TestPlugin().Run(input, AddEnv);

        Assert.NotEqual(0, exit);
        AssertError(stdout, CniErrorCode.DecodingFailure, "larger than 16 MiB");
    }
}
