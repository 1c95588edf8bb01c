using System.Text;
using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;

namespace Sluice.Cni.Tests;

/// <summary>The hand-written configuration reader gives what the source-generated serializer gives, and fails where it fails, naming the same field.</summary>
public sealed class NetworkConfigReaderTests
{
    public static TheoryData<string> Configs() =>
    [
        """{"cniVersion":"1.0.0","name":"n","type":"t"}""",
        """{"CNIVERSION":"1.0.0","Name":"n","TYPE":"t"}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","ipMasq":true,"capabilities":{"portMappings":true,"ips":false}}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/24"}]]},"dns":{"nameservers":["10.0.0.10"],"domain":"cluster.local","search":["a","b"],"options":["ndots:5"],"other":1}}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}],"unknown":{"x":[1,2]}}}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":null,"ipam":null,"dns":null,"capabilities":null,"ipMasq":null}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","runtimeConfig":{"PortMappings":[{"HostPort":8080,"containerPort":80,"protocol":"tcp"}],"mac":"aa:bb:cc:dd:ee:ff","ips":["10.0.0.9/24"],"x":1}}""",
        """{"cniVersion":"1.1.0","name":"n","type":"t","args":{"cni":{"ips":["10.0.0.9"],"mac":"m","y":2},"z":3}}""",
        """{"cniVersion":"1.1.0","name":"n","type":"t","cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}],"cni.dev/attachments":[{"containerID":"c2","ifname":"eth1"}]}""",
        """{"cniVersion":"1.0.0","name":"n","type":"t","somethingElse":{"deep":[true,null,"x"]},"num":1.5,"s":"v","n":null}""",
        """ {"cniVersion":"1.0.0","name":"n","name":"second","type":"t"} """,
    ];

    public static TheoryData<string, string> BadFields() => new()
    {
        { ""","name":5""", "field 'name' expected a string" },
        { ""","ipMasq":"yes" """, "field 'ipMasq' expected true or false" },
        { ""","capabilities":[]""", "field 'capabilities' expected an object" },
        { ""","capabilities":{"a":"yes"}""", "field 'capabilities.a' expected true or false" },
        { ""","dns":"x" """, "field 'dns' expected an object" },
        { ""","dns":{"nameservers":"1.1.1.1"}""", "field 'dns.nameservers' expected an array" },
        { ""","dns":{"search":[1]}""", "field 'dns.search[0]' expected a string" },
        { ""","runtimeConfig":{"portMappings":[{"hostPort":"x"}]}""", "field 'runtimeConfig.portMappings[0].hostPort' expected an integer" },
        { ""","runtimeConfig":5""", "field 'runtimeConfig' expected an object" },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_configuration_reads_as_the_serializer_reads_it(string json)
    {
        var ours = NetworkConfigReader.Read<NetworkConfig>(Encoding.UTF8.GetBytes(json), "network configuration");
        var theirs = JsonSerializer.Deserialize(json, CniJsonContext.Default.NetworkConfig)!;

        Assert.Equal(Serialized(theirs), Serialized(ours));
    }

    [Fact]
    public void PrevResult_and_ipam_are_kept_byte_for_byte()
    {
        const string prev = """{ "cniVersion" : "1.0.0", "ips":[ {"address":"10.0.0.2/24"} ], "x\u00e9": "<&>" }""";
        const string ipam = """{"type":"host-local",  "ranges":[]}""";
        var config = Read($$"""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{{prev}},"ipam":{{ipam}}}""");

        Assert.Equal(prev, config.PrevResult!.Value.GetRawText());
        Assert.Equal(ipam, config.Ipam!.Value.GetRawText());
        Assert.Equal("host-local", config.IpamType);
    }

    [Fact]
    public void PrevResult_is_read_as_its_bytes_without_a_document_and_becomes_an_element_only_when_asked()
    {
        const string prev = """{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""";
        var config = Read($$"""{"cniVersion":"1.0.0","name":"n","prevResult":  {{prev}}  ,"type":"t"}""");

        Assert.Equal(prev, Encoding.UTF8.GetString(config.PrevResultJson!.Value.Span));
        Assert.Equal(prev, config.PrevResult!.Value.GetRawText());
        Assert.Null(Read("""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":null}""").PrevResultJson);
        Assert.Null(Read("""{"cniVersion":"1.0.0","name":"n","type":"t"}""").PrevResult);
    }

    [Fact]
    public void PrevResult_set_as_an_element_is_offered_as_bytes_too()
    {
        var config = new NetworkConfig { PrevResultJson = Encoding.UTF8.GetBytes("""{"a":1}""") };
        config.PrevResult = JsonDocument.Parse("""{"b":2}""").RootElement;

        Assert.Equal("""{"b":2}""", Encoding.UTF8.GetString(config.PrevResultJson!.Value.Span));
    }

    [Fact]
    public void A_prevResult_that_is_not_valid_JSON_fails_the_read()
    {
        var error = Assert.Throws<CniException>(() => Read("""{"cniVersion":"1.0.0","name":"n","type":"t","prevResult":{"ips":[1,}}"""));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }

    [Fact]
    public void Unknown_keys_are_kept_in_extra_with_their_spelling()
    {
        var config = Read("""{"cniVersion":"1.0.0","name":"n","type":"t","Custom":{"a":[1]},"flag":false}""");

        Assert.Equal(["Custom", "flag"], config.Extra!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("""{"a":[1]}""", config.Extra["Custom"].GetRawText());
    }

    [Fact]
    public void Keys_a_plugin_reads_are_offered_to_it_first_of_the_unknown()
    {
        var seen = new List<string>();
        var config = NetworkConfigReader.Read<NetworkConfig>(
            """{"cniVersion":"1.0.0","name":"n","mine":7,"type":"t","other":1}"""u8.ToArray(),
            "network configuration",
            (NetworkConfig _, string key, ref Utf8JsonReader reader) =>
            {
                seen.Add(key);
                return key == "mine";
            });

        Assert.Equal(["mine", "other"], seen);
        Assert.Equal(["other"], config.Extra!.Keys);
        Assert.Equal("t", config.Type);
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public void A_field_of_the_wrong_type_is_error_6_naming_it_as_the_serializer_does(string extra, string fragment)
    {
        var json = $$"""{"cniVersion":"1.0.0","name":"n","type":"t"{{extra}}}""";
        var ours = Assert.Throws<CniException>(() => Read(json));
        var theirs = Assert.Throws<CniException>(() => JsonDecoding.Decode(Encoding.UTF8.GetBytes(json), CniJsonContext.Default.NetworkConfig, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, ours.Code);
        Assert.Contains(fragment, ours.Message, StringComparison.Ordinal);
        Assert.Equal(theirs.Message, ours.Message);
    }

    [Fact]
    public void A_key_with_a_slash_is_named_plainly()
    {
        var error = Assert.Throws<CniException>(() => Read("""{"cniVersion":"1.1.0","name":"n","type":"t","cni.dev/valid-attachments":{}}"""));

        Assert.Equal("cannot decode network configuration: field 'cni.dev/valid-attachments' expected an array", error.Message);
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
    public void Input_that_is_no_configuration_is_error_6(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read(json));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.StartsWith(fragment, error.Message, StringComparison.Ordinal);
        Assert.Throws<CniException>(() => JsonDecoding.Decode(Encoding.UTF8.GetBytes(json), CniJsonContext.Default.NetworkConfig, "network configuration"));
    }

    private static NetworkConfig Read(string json) =>
        NetworkConfigReader.Read<NetworkConfig>(Encoding.UTF8.GetBytes(json), "network configuration");

    private static string Serialized(NetworkConfig config) => JsonSerializer.Serialize(config, CniJsonContext.Default.NetworkConfig);
}
