using System.Text;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Json;

namespace Sluice.Cni.Tests;

/// <summary>The spec's keys and the logging keys, declared once for every plugin, read as Go's decoder reads them.</summary>
public sealed class NetworkConfigKeysTests
{
    private static readonly JsonShape<PluginConfig> Shape = new JsonShape<PluginConfig>(() => new PluginConfig()).Include(PluginConfig.Keys);

    [Fact]
    public void Read_EverySpecKey_IsTyped()
    {
        var config = Read("""
            {"CNIVERSION":"1.1.0","Name":"n","TYPE":"t","ipMasq":true,"capabilities":{"portMappings":true,"ips":false},
             "dns":{"nameservers":["10.0.0.10"],"domain":"cluster.local","search":["a","b"],"options":["ndots:5"],"other":1},
             "runtimeConfig":{"PortMappings":[{"HostPort":8080,"containerPort":80,"protocol":"tcp","HostIP":"1.2.3.4"}],"mac":"aa:bb:cc:dd:ee:ff","ips":["10.0.0.9/24"],"ipRanges":[[{"subnet":"10.1.0.0/16"}]],"x":1},
             "args":{"cni":{"ips":["10.0.0.9"],"mac":"m","y":2},"z":3},
             "cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}],"cni.dev/attachments":[{"containerID":"c2","ifname":"eth1"}],
             "logLevel":"debug","logFile":"/var/log/p.log","logSocket":""}
            """);

        Assert.Equal(("1.1.0", "n", "t", true), (config.CniVersion, config.Name, config.Type, config.IpMasq));
        Assert.Equal(new Dictionary<string, bool> { ["portMappings"] = true, ["ips"] = false }, config.Capabilities);
        Assert.Equal(["a", "b"], config.Dns!.Search);
        var mapping = config.RuntimeConfig!.PortMappings![0];
        Assert.Equal((8080, 80, "tcp", "1.2.3.4"), (mapping.HostPort, mapping.ContainerPort, mapping.Protocol, mapping.HostIp));
        Assert.Equal("10.1.0.0/16", config.RuntimeConfig.IpRanges![0][0].Subnet);
        Assert.Equal(["10.0.0.9"], config.Args!.Cni!.Ips);
        Assert.Equal("c1", config.GcValidAttachments[0].ContainerId);
        Assert.Equal("c2", config.LegacyAttachments![0].ContainerId);
        Assert.Equal(("debug", "/var/log/p.log", ""), (config.LogLevel, config.LogFile, config.LogSocket));
    }

    [Fact]
    public void Read_PrevResultAndIpam_AreKeptByteForByte()
    {
        const string prev = """{ "cniVersion" : "1.0.0", "ips":[ {"address":"10.0.0.2/24"} ], "x\u00e9": "<&>" }""";
        const string ipam = """{"type":"host-local",  "ranges":[]}""";
        var config = Read($$"""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{{prev}},"ipam":{{ipam}}}""");

        Assert.Equal(prev, Encoding.UTF8.GetString(config.PrevResultJson!.Value.Span));
        Assert.Equal(ipam, Encoding.UTF8.GetString(config.IpamJson!.Value.Span));
        Assert.Equal("host-local", config.IpamType);
    }

    [Fact]
    public void Read_NullValues_LeaveKeysAbsent()
    {
        var config = Read("""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":null,"ipam":null,"dns":null,"capabilities":null,"ipMasq":null}""");

        Assert.Null(config.PrevResultJson);
        Assert.Null(config.IpamJson);
        Assert.Null(config.IpamType);
        Assert.Null(config.Dns);
        Assert.Null(config.IpMasq);
    }

    [Fact]
    public void Read_RepeatedKey_LastOneWins()
    {
        Assert.Equal("second", Read("""{"cniVersion":"1.0.0","name":"n","name":"second","type":"t"}""").Name);
    }

    [Fact]
    public void Read_PrevResultThatIsNotValidJson_FailsTheRead()
    {
        var error = Assert.Throws<CniException>(() => Read("""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{"ips":[1,}}"""));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }

    [Theory]
    [InlineData(""","name":5""", "field 'name' expected a string")]
    [InlineData(""","ipMasq":"yes" """, "field 'ipMasq' expected true or false")]
    [InlineData(""","capabilities":[]""", "field 'capabilities' expected an object")]
    [InlineData(""","capabilities":{"a":"yes"}""", "field 'capabilities.a' expected true or false")]
    [InlineData(""","dns":"x" """, "field 'dns' expected an object")]
    [InlineData(""","dns":{"nameservers":"1.1.1.1"}""", "field 'dns.nameservers' expected an array")]
    [InlineData(""","dns":{"search":[1]}""", "field 'dns.search[0]' expected a string")]
    [InlineData(""","runtimeConfig":{"portMappings":[{"hostPort":"x"}]}""", "field 'runtimeConfig.portMappings[0].hostPort' expected an integer")]
    [InlineData(""","runtimeConfig":5""", "field 'runtimeConfig' expected an object")]
    [InlineData(""","cni.dev/valid-attachments":{}""", "field 'cni.dev/valid-attachments' expected an array")]
    [InlineData(""","logFile":[]""", "field 'logFile' expected a string")]
    public void Read_FieldOfTheWrongType_IsError6NamingIt(string extra, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read($$"""{"cniVersion":"1.0.0","name":"n","type":"t"{{extra}}}"""));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Equal($"cannot decode network configuration: {fragment}", error.Message);
    }

    [Theory]
    [InlineData("", "network configuration is empty")]
    [InlineData(" \n ", "network configuration is empty")]
    [InlineData("null", "network configuration is null")]
    [InlineData("[]", "cannot decode network configuration: expected an object")]
    [InlineData("\"text\"", "cannot decode network configuration: expected an object")]
    [InlineData("{", "cannot decode network configuration")]
    [InlineData("not json", "cannot decode network configuration")]
    [InlineData("{\"name\":\"n\"} x", "cannot decode network configuration")]
    [InlineData("{\"name\":\"n\",}", "cannot decode network configuration")]
    [InlineData("{\"name\":\"n\" /* c */}", "cannot decode network configuration")]
    public void Read_InputThatIsNoConfiguration_IsError6(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read(json));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.StartsWith(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InvalidUtf8_IsError6NamingTheByte()
    {
        var error = Assert.Throws<CniException>(() => CniJson.Read(new byte[] { (byte)'{', (byte)'"', 0xC3, (byte)'"', (byte)':', (byte)'1', (byte)'}' }, Shape, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Contains("not valid UTF-8 (byte 2)", error.Message, StringComparison.Ordinal);
    }

    private static PluginConfig Read(string json) => CniJson.Read(Encoding.UTF8.GetBytes(json), Shape, "network configuration");
}
