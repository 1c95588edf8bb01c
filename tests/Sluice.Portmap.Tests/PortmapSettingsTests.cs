using System.Net;
using Sluice.Cni;
using Sluice.Cni.Json;
using Sluice.Firewall;

namespace Sluice.Portmap.Tests;

public sealed class PortmapSettingsTests
{
    private static readonly CniEnvironment Env = new() { Command = CniCommand.Add, ContainerId = "ctr-1", NetNs = "/run/netns/p", IfName = "eth0" };

    internal static PortmapSettings Settings(string extra, string mappings = "[]", CniEnvironment? env = null)
    {
        var json = $$$"""{"cniVersion":"1.0.0","name":"podnet","type":"sluice-portmap"{{{extra}}},"runtimeConfig":{"portMappings":{{{mappings}}}}}""";
        return PortmapSettings.From(CniJson.Read(System.Text.Encoding.UTF8.GetBytes(json), PortmapConfig.Shape, "network configuration"), env ?? Env);
    }

    [Fact]
    public void From_WithContainerdsCapitalisedKeys_ReadsEveryMapping()
    {
        var settings = Settings("", """[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":""},{"HostPort":5353,"ContainerPort":53,"Protocol":"UDP","HostIP":"192.0.2.1"}]""");

        Assert.Equal(
            [new HostPortMapping(0, MappingProtocol.Tcp, 8080, 80, null), new HostPortMapping(1, MappingProtocol.Udp, 5353, 53, IPAddress.Parse("192.0.2.1"))],
            settings.Mappings);
        Assert.Equal(new MappingOwner("podnet", "ctr-1", "eth0"), settings.Owner);
        Assert.Equal((FirewallBackend.Auto, true, false), (settings.Backend, settings.Snat, settings.MasqAll));
    }

    [Fact]
    public void From_WithoutProtocol_TakesTcpAsKubernetesDoes()
    {
        Assert.Equal(MappingProtocol.Tcp, Settings("", """[{"hostPort":80,"containerPort":8080}]""").Mappings[0].Protocol);
    }

    [Theory]
    [InlineData("""[{"containerPort":80}]""", "field 'runtimeConfig.portMappings[0].hostPort' is missing")]
    [InlineData("""[{"hostPort":80,"containerPort":80},{"hostPort":0,"containerPort":80}]""", "field 'runtimeConfig.portMappings[1].hostPort' 0 is outside 1–65535")]
    [InlineData("""[{"hostPort":80,"containerPort":65536}]""", "field 'runtimeConfig.portMappings[0].containerPort' 65536 is outside 1–65535")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"protocol":"icmp"}]""", "field 'runtimeConfig.portMappings[0].protocol' 'icmp' is not one of tcp, udp, sctp")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"10.0.0.256"}]""", "field 'runtimeConfig.portMappings[0].hostIP' '10.0.0.256' is not an IP address")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"1.2.3.4\nforged"}]""", "field 'runtimeConfig.portMappings[0].hostIP' '1.2.3.4\\nforged' is not an IP address")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"protocol":"tcp\r\u001b[2J"}]""", "field 'runtimeConfig.portMappings[0].protocol' 'tcp\\r\\x1b[2J' is not one of tcp, udp, sctp")]
    [InlineData("""[{"hostPort":80,"containerPort":80},{"hostPort":80,"containerPort":81,"hostIP":"192.0.2.1"}]""", "field 'runtimeConfig.portMappings[1]' (tcp 192.0.2.1 80 -> 81) takes the same connections as runtimeConfig.portMappings[0] (tcp 80 -> 80)")]
    public void From_WithABadMapping_IsError7NamingTheIndexAndField(string mappings, string expected)
    {
        var error = Assert.Throws<CniException>(() => Settings("", mappings));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("""[{"hostPort":80,"containerPort":80},{"hostPort":80,"containerPort":80,"protocol":"udp"}]""")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"192.0.2.1"},{"hostPort":80,"containerPort":80,"hostIP":"192.0.2.2"}]""")]
    [InlineData("""[{"hostPort":80,"containerPort":80,"hostIP":"0.0.0.0"},{"hostPort":80,"containerPort":80,"hostIP":"::"}]""")]
    public void From_WithMappingsThatTakeDifferentConnections_AcceptsThem(string mappings)
    {
        Assert.Equal(2, Settings("", mappings).Mappings.Count);
    }

    [Theory]
    [InlineData(",\"backend\":\"ebpf\"", CniErrorCode.InvalidNetworkConfig, "field 'backend' 'ebpf' is not one of auto, iptables, nftables")]
    [InlineData(",\"markMasqBit\":32", CniErrorCode.InvalidNetworkConfig, "field 'markMasqBit' 32 is outside 0–31")]
    [InlineData(",\"conditionsV4\":[\"-s\",\"10.0.0.0/8\"]", CniErrorCode.UnsupportedField, "field 'conditionsV4' ([\"-s\",\"10.0.0.0/8\"]) is not supported")]
    [InlineData(",\"externalSetMarkChain\":\"KUBE-MARK-MASQ\"", CniErrorCode.UnsupportedField, "field 'externalSetMarkChain' (\"KUBE-MARK-MASQ\") is not supported")]
    public void From_WithABadOrUnsupportedKey_NamesIt(string extra, int code, string expected)
    {
        var error = Assert.Throws<CniException>(() => Settings(extra));

        Assert.Equal(code, error.Code);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_WithTheReferencesKeys_TakesThem()
    {
        var settings = Settings(",\"backend\":\"iptables\",\"snat\":false,\"masqAll\":true,\"markMasqBit\":13");

        Assert.Equal((FirewallBackend.Iptables, false, true), (settings.Backend, settings.Snat, settings.MasqAll));
    }

    [Fact]
    public void From_WithNamesTooLongForATag_IsError7()
    {
        var env = Env with { ContainerId = new string('c', 200) };

        var error = Assert.Throws<CniException>(() => Settings("", """[{"hostPort":80,"containerPort":80}]""", env));

        Assert.Contains("too long to tag the mapping rules", error.Message, StringComparison.Ordinal);
    }
}
