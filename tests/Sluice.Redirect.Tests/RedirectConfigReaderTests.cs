using System.Text;
using System.Text.Json;
using Sluice.Cni;

namespace Sluice.Redirect.Tests;

/// <summary>sluice-redirect's hand-written configuration reader gives what the source-generated serializer gives, and fails where it fails, naming the same field.</summary>
public sealed class RedirectConfigReaderTests
{
    private const string Head = "\"cniVersion\":\"1.1.0\",\"name\":\"mesh\",\"type\":\"sluice-redirect\"";

    public static TheoryData<string> Configs() =>
    [
        "",
        """
        ,"profile":"istio","backend":"nft","failurePolicy":"ignore","logLevel":"debug","log_level":"info","logFile":"/var/log/r.log","logSocket":"/run/sluice/log.sock",
        "kubernetes":{"kubeconfig":"/k","agentSocket":"/run/p.sock","excludeNamespaces":["a","b"],"exclude_namespaces":["c"],"nodeName":"n1","node_name":"n2","other":{"x":1}},
        "podLookup":{"timeoutMs":100,"attempts":2,"totalMs":500,"retries":9},
        "selector":{"labels":{"app":"x","*":"*"},"annotations":{"a":"b"},"fields":[]},
        "prevResult":{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","sandbox":"/p"}],"ips":[{"address":"10.0.0.2/24","interface":0}]}
        """,
        """
        ,"capture":{"outboundPort":15001,"inboundPort":15006,"proxyUid":1337,"proxyGid":1338,"inboundMode":"TPROXY","tproxyMark":1337,"tproxyTable":133,
          "inboundPorts":"*","inboundExcludePorts":[22,"9000-9100"],"outboundCidrs":["10.0.0.0/8"],"outboundExcludeCidrs":"169.254.169.254/32",
          "outboundPorts":80,"outboundExcludePorts":[],"excludeInterfaces":["eth1"],"rerouteInterfaces":null,"redirectDns":true,"dnsPort":15053,
          "dropInvalid":false,"mediaUdpPorts":"5000-5100","mediaPort":8554,"families":"dual","unknown":true}
        """,
        ""","Profile":"MSM","KUBERNETES":{"KubeConfig":"/etc/msm/kc","ExcludeNamespaces":["x"]},"Capture":{"OUTBOUNDPORT":1},"PodLookup":{"TimeoutMs":200}""",
        ""","kubernetes":null,"capture":null,"selector":null,"podLookup":null,"profile":null,"custom":{"kept":[1,2]},"more":"x" """,
        ""","capture":{"proxyUid":4294967295,"tproxyMark":-1}""",
    ];

    public static TheoryData<string, string> BadFields() => new()
    {
        { ""","profile":1""", "field 'profile' expected a string" },
        { ""","backend":true""", "field 'backend' expected a string" },
        { ""","logLevel":["debug"]""", "field 'logLevel' expected a string" },
        { ""","logSocket":7""", "field 'logSocket' expected a string" },
        { ""","kubernetes":"x" """, "field 'kubernetes' expected an object" },
        { ""","kubernetes":{"excludeNamespaces":"kube-system"}""", "field 'kubernetes.excludeNamespaces' expected an array" },
        { ""","kubernetes":{"exclude_namespaces":[1]}""", "field 'kubernetes.exclude_namespaces[0]' expected a string" },
        { ""","kubernetes":{"agentSocket":false}""", "field 'kubernetes.agentSocket' expected a string" },
        { ""","podLookup":{"timeoutMs":"2000"}""", "field 'podLookup.timeoutMs' expected an integer" },
        { ""","podLookup":{"attempts":1.5}""", "field 'podLookup.attempts' expected an integer" },
        { ""","podLookup":{"totalMs":99999999999}""", "field 'podLookup.totalMs' expected an integer" },
        { ""","capture":{"outboundPort":"15001"}""", "field 'capture.outboundPort' expected an integer" },
        { ""","capture":{"proxyUid":"1337"}""", "field 'capture.proxyUid' expected an integer" },
        { ""","capture":{"redirectDns":"yes"}""", "field 'capture.redirectDns' expected true or false" },
        { ""","capture":{"inboundMode":1}""", "field 'capture.inboundMode' expected a string" },
        { ""","capture":[]""", "field 'capture' expected an object" },
        { ""","selector":{"labels":{"app":1}}""", "field 'selector.labels.app' expected a string" },
        { ""","selector":{"annotations":[]}""", "field 'selector.annotations' expected an object" },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_configuration_reads_as_the_serializer_reads_it(string rest)
    {
        var json = $"{{{Head}{rest}}}";
        var ours = RedirectConfigReader.Read(Encoding.UTF8.GetBytes(json), "network configuration");
        var theirs = JsonSerializer.Deserialize(json, RedirectJsonContext.Default.RedirectConfig)!;

        Assert.Equal(Serialized(theirs), Serialized(ours));
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public void A_field_of_the_wrong_type_is_error_6_naming_it_as_the_serializer_does(string rest, string fragment)
    {
        var json = Encoding.UTF8.GetBytes($"{{{Head}{rest}}}");
        var ours = Assert.Throws<CniException>(() => RedirectConfigReader.Read(json, "network configuration"));
        var theirs = Assert.Throws<CniException>(() => Sluice.Cni.Json.JsonDecoding.Decode(json, RedirectJsonContext.Default.RedirectConfig, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, ours.Code);
        Assert.Contains(fragment, ours.Message, StringComparison.Ordinal);
        Assert.Equal(theirs.Message, ours.Message);
    }

    [Fact]
    public void The_plugin_reads_its_configuration_by_hand()
    {
        Assert.NotNull(RedirectPlugin.Definition.ReadConfig);
    }

    private static string Serialized(RedirectConfig config) => JsonSerializer.Serialize(config, RedirectJsonContext.Default.RedirectConfig);

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc3 })]
    public void Bytes_that_are_not_UTF8_are_error_6_naming_the_byte_as_the_serializer_does(byte[] bad)
    {
        byte[] json = [.. Encoding.UTF8.GetBytes($"{{{Head},\"profile\":\"istio\",\"logFile\":\"/x"), .. bad, .. "\"}"u8];

        var ours = Assert.Throws<CniException>(() => RedirectConfigReader.Read(json, "network configuration"));
        var theirs = Assert.Throws<CniException>(() => Sluice.Cni.Json.JsonDecoding.Decode(json, RedirectJsonContext.Default.RedirectConfig, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, ours.Code);
        Assert.Contains("not valid UTF-8 (byte ", ours.Message, StringComparison.Ordinal);
        Assert.Equal(theirs.Message, ours.Message);
    }

    [Fact]
    public void An_escaped_lone_surrogate_is_error_6_not_an_internal_error()
    {
        var json = Encoding.UTF8.GetBytes($$"""{{{Head}},"profile":"\ud800"}""");

        var error = Assert.Throws<CniException>(() => RedirectConfigReader.Read(json, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }
}
