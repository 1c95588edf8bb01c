using System.Text;
using Sluice.Cni;
using Sluice.Cni.Json;

namespace Sluice.Redirect.Tests;

/// <summary>sluice-redirect's configuration, read through its one declared shape.</summary>
public sealed class RedirectConfigTests
{
    private const string Head = "\"cniVersion\":\"1.1.0\",\"name\":\"mesh\",\"type\":\"sluice-redirect\"";

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
        { ""","capture":{"outboundPort":true}""", "field 'capture.outboundPort' expected a string, a number or a list of them" },
        { ""","capture":{"inboundPorts":[{"a":1}]}""", "field 'capture.inboundPorts[0]' expected a string or a number" },
        { ""","capture":{"redirectDns":"yes"}""", "field 'capture.redirectDns' expected true or false" },
        { ""","capture":[]""", "field 'capture' expected an object" },
        { ""","selector":{"labels":{"app":1}}""", "field 'selector.labels.app' expected a string" },
        { ""","selector":{"annotations":[]}""", "field 'selector.annotations' expected an object" },
    };

    [Fact]
    public void Read_EveryKey_IsTyped()
    {
        var config = Read("""
            ,"profile":"istio","backend":"nft","failurePolicy":"ignore","logLevel":"debug","logFile":"/var/log/r.log","logSocket":"/run/sluice/log.sock",
            "kubernetes":{"kubeconfig":"/k","agentSocket":"/run/p.sock","excludeNamespaces":["a","b"],"nodeName":"n1","other":{"x":1}},
            "podLookup":{"timeoutMs":100,"attempts":2,"totalMs":500,"retries":9},
            "selector":{"labels":{"app":"x","*":"*"},"annotations":{"a":"b"},"fields":[]},
            "prevResult":{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","sandbox":"/p"}],"ips":[{"address":"10.0.0.2/24","interface":0}]}
            """);

        Assert.Equal(("istio", "nft", "ignore"), (config.Profile, config.Backend, config.FailurePolicy));
        Assert.Equal(("debug", "/var/log/r.log", "/run/sluice/log.sock"), (config.LogLevel, config.LogFile, config.LogSocket));
        Assert.Equal(("/k", "/run/p.sock", "n1"), (config.Kubernetes!.Kubeconfig, config.Kubernetes.AgentSocket, config.Kubernetes.NodeName));
        Assert.Equal(["a", "b"], config.Kubernetes.ExcludeNamespaces);
        Assert.Equal((100, 2, 500), (config.PodLookup!.TimeoutMs!.Value, config.PodLookup.Attempts!.Value, config.PodLookup.TotalMs!.Value));
        Assert.Equal("*", config.Selector!.Labels!["*"]);
        Assert.NotNull(config.PrevResultJson);
    }

    [Fact]
    public void Read_CaptureLists_AreTextInTheAnnotationsSyntaxWhetherStringsNumbersOrArrays()
    {
        var capture = Read("""
            ,"capture":{"outboundPort":15001,"inboundPorts":"*","inboundExcludePorts":[22,"9000-9100"],"outboundCidrs":["10.0.0.0/8"],
              "outboundExcludeCidrs":"169.254.169.254/32","outboundPorts":80,"outboundExcludePorts":[],"rerouteInterfaces":null,
              "redirectDns":true,"dropInvalid":false,"families":"dual","unknown":true}
            """).Capture!;

        Assert.Equal("15001", capture.Values["outboundPort"]);
        Assert.Equal("*", capture.Values["inboundPorts"]);
        Assert.Equal("22,9000-9100", capture.Values["inboundExcludePorts"]);
        Assert.Equal("10.0.0.0/8", capture.Values["outboundCidrs"]);
        Assert.Equal("80", capture.Values["outboundPorts"]);
        Assert.Equal("", capture.Values["outboundExcludePorts"]);
        Assert.False(capture.Values.ContainsKey("rerouteInterfaces"));
        Assert.Equal((true, false), (capture.RedirectDns, capture.DropInvalid));
    }

    [Fact]
    public void Read_KeysInAnyCase_AreMatched()
    {
        var config = Read(""","Profile":"MSM","KUBERNETES":{"KubeConfig":"/etc/msm/kc","ExcludeNamespaces":["x"]},"Capture":{"OUTBOUNDPORT":1},"PodLookup":{"TimeoutMs":200}""");

        Assert.Equal("MSM", config.Profile);
        Assert.Equal("/etc/msm/kc", config.Kubernetes!.Kubeconfig);
        Assert.Equal("1", config.Capture!.Values["outboundPort"]);
        Assert.Equal(200, config.PodLookup!.TimeoutMs);
    }

    [Fact]
    public void Read_IstioSnakeCaseKeys_AreOtherSpellingsOfTheSameKeys()
    {
        var config = Read(""","log_level":"debug","kubernetes":{"exclude_namespaces":["istio-system"],"node_name":"n2"}""");

        Assert.Equal("debug", config.LogLevel);
        Assert.Equal(["istio-system"], config.Kubernetes!.ExcludeNamespaces);
        Assert.Equal("n2", config.Kubernetes.NodeName);
    }

    [Fact]
    public void Read_NullSections_AreAbsent()
    {
        var config = Read(""","kubernetes":null,"capture":null,"selector":null,"podLookup":null,"profile":null,"custom":{"kept":[1,2]},"more":"x" """);

        Assert.Null(config.Kubernetes);
        Assert.Null(config.Capture);
        Assert.Null(config.Profile);
    }

    [Theory]
    [MemberData(nameof(BadFields))]
    public void Read_FieldOfTheWrongType_IsError6NamingIt(string rest, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read(rest));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Equal($"cannot decode network configuration: {fragment}", error.Message);
    }

    [Fact]
    public void Read_NumberTooLargeForItsField_IsError7NamingIt()
    {
        var error = Assert.Throws<CniException>(() => Read(""","podLookup":{"totalMs":99999999999}"""));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("field 'podLookup.totalMs' 99999999999 is not an integer", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc3 })]
    public void Read_BytesThatAreNotUtf8_AreError6NamingTheByte(byte[] bad)
    {
        byte[] json = [.. Encoding.UTF8.GetBytes($"{{{Head},\"profile\":\"istio\",\"logFile\":\"/x"), .. bad, .. "\"}"u8];

        var error = Assert.Throws<CniException>(() => CniJson.Read(json, RedirectConfig.Shape, "network configuration"));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Contains("not valid UTF-8 (byte ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EscapedLoneSurrogate_IsError6NotAnInternalError()
    {
        var error = Assert.Throws<CniException>(() => Read(""","profile":"\ud800" """));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
    }

    private static RedirectConfig Read(string rest) =>
        CniJson.Read(Encoding.UTF8.GetBytes($"{{{Head}{rest}}}"), RedirectConfig.Shape, "network configuration");
}
