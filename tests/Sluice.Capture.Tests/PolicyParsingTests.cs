using System.Net;
using Sluice.Capture.Policy;

namespace Sluice.Capture.Tests;

public sealed class PolicyParsingTests
{
    [Fact]
    public void PortSetParse_SinglePortsAndRangesInEitherSpelling_AreRead()
    {
        var ports = PortSet.Parse(" 8080, 5000-5010,6000:6001,8080 ", "-b");

        Assert.False(ports.All);
        Assert.Equal([new PortRange(5000, 5010), new PortRange(6000, 6001), PortRange.Single(8080)], ports.Ranges);
        Assert.Equal("5000-5010,6000-6001,8080", ports.ToString());
        Assert.True(ports.Contains(5005));
        Assert.False(ports.Contains(5011));
    }

    [Fact]
    public void PortSet_BuiltFromPortsOrJoined_IsSortedAndMerged()
    {
        Assert.Equal([new PortRange(15020, 15021), PortRange.Single(15090)], PortSet.Of(15090, 15020, 15021, 15090).Ranges);

        var union = PortSet.Parse("8080,5000-5010", "-b").Union(PortSet.Parse("5000-5010,5000-5001,22", "-d"));

        Assert.Equal("22,5000-5010,8080", union.ToString());
        Assert.Same(PortSet.Every, PortSet.Of(1).Union(PortSet.Every));
    }

    [Fact]
    public void ToString_Presets_DescribeThePolicyInOneLine()
    {
        Assert.Equal(
            "outbound to :15001: TCP to any address; inbound REDIRECT to :15006: TCP to any port except 15020-15021,15090; " +
            "proxy uid 1337 gid 1337 not captured; dns off; media off; IPv4 and IPv6",
            CapturePresets.Istio.ToString());
        Assert.Equal(
            "outbound to :8554: TCP to port 554; inbound off; proxy uid 1337 not captured; dns to :53; media to :8050: UDP to ports 5004-5005; IPv4 only",
            (CapturePresets.Msm with { DnsPort = 53, MediaUdpPorts = PortSet.Parse("5004-5005", "ports"), MediaPort = 8050, Families = CaptureFamilies.Ipv4 }).ToString());
    }

    [Fact]
    public void ToString_WithExclusionsAndNoProxy_NamesWhatGoesDirect()
    {
        var policy = CapturePresets.Istio with
        {
            OutboundCidrs = CidrSet.Parse("10.0.0.0/8", "-i"),
            OutboundPorts = PortSet.Parse("554", "-q"),
            OutboundExcludeCidrs = CidrSet.Parse("10.96.0.0/12", "-x"),
            OutboundExcludePorts = PortSet.Parse("80,443", "-o"),
            InboundPorts = PortSet.Parse("8080", "-b"),
            InboundExcludePorts = PortSet.None,
            ProxyUid = null,
            ProxyGid = null,
        };

        Assert.Equal(
            "outbound to :15001: TCP to 10.0.0.0/8 or port 554 except to 10.96.0.0/12 or ports 80,443; inbound REDIRECT to :15006: TCP to port 8080; " +
            "no proxy identity exempt; dns off; media off; IPv4 and IPv6",
            policy.ToString());
    }

    [Theory]
    [InlineData("*", true, 0)]
    [InlineData("", false, 0)]
    [InlineData("  ", false, 0)]
    public void PortSetParse_StarOrEmpty_IsEveryPortOrNone(string text, bool all, int count)
    {
        var ports = PortSet.Parse(text, "-b");

        Assert.Equal(all, ports.All);
        Assert.Equal(count, ports.Ranges.Count);
        Assert.Equal(!all, ports.IsEmpty);
    }

    [Theory]
    [InlineData("70000", "70000", "is not a port (1-65535)")]
    [InlineData("0", "0", "is not a port (1-65535)")]
    [InlineData("http", "http", "is not a port (1-65535)")]
    [InlineData("-5", "", "is not a port (1-65535)")]
    [InlineData("90-80", "90-80", "first port comes after the last")]
    [InlineData("80,*", "80,*", "mixes '*'")]
    public void PortSetParse_BadPort_IsRefusedNamingTheSettingAndValue(string text, string value, string problem)
    {
        var error = Assert.Throws<PolicyException>(() => PortSet.Parse(text, "-b"));

        Assert.Equal("-b", error.Setting);
        Assert.Equal(value, error.Value);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CidrSetParse_MixedFamiliesAndBareAddresses_ReadsBareAddressesAsHosts()
    {
        var networks = CidrSet.Parse("10.0.0.0/8, fd00::/8,192.0.2.1,2001:db8::1", "-i");

        Assert.Equal(
            [IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("fd00::/8"), IPNetwork.Parse("192.0.2.1/32"), IPNetwork.Parse("2001:db8::1/128")],
            networks.Networks);
        Assert.Equal(2, networks.Of(System.Net.Sockets.AddressFamily.InterNetwork).Count());
    }

    [Theory]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("banana")]
    [InlineData("10.0.0")]
    [InlineData("10.1/8")]
    [InlineData("fd00::1/64")]
    [InlineData("10.0.0.0/")]
    public void CidrSetParse_NotACidr_IsRefusedNamingTheSettingAndValue(string text)
    {
        var error = Assert.Throws<PolicyException>(() => CidrSet.Parse(text, "-x"));

        Assert.Equal("-x", error.Setting);
        Assert.Equal(text, error.Value);
    }

    [Fact]
    public void CapturePresets_MsmAndIstio_HoldTheMeshesPortsAndProxyIdentities()
    {
        var msm = CapturePresets.Msm;
        Assert.Equal(8554, msm.OutboundPort);
        Assert.Equal("554", msm.OutboundPorts.ToString());
        Assert.True(msm.OutboundCidrs.IsEmpty);
        Assert.False(msm.CapturesInbound);
        Assert.Equal(1337u, msm.ProxyUid);
        Assert.Equal(CaptureFamilies.Both, msm.Families);

        var istio = CapturePresets.Istio;
        Assert.Equal((15001, 15006), (istio.OutboundPort, istio.InboundPort));
        Assert.Equal((1337u, 1337u), (istio.ProxyUid!.Value, istio.ProxyGid!.Value));
        Assert.True(istio.InboundPorts.All);
        Assert.Equal("15020-15021,15090", istio.InboundExcludePorts.ToString());
        Assert.True(istio.OutboundCidrs.All);
    }

    [Fact]
    public void Validate_WithCallersFieldNames_ReportsTheSettingByTheCallersName()
    {
        var policy = CapturePresets.Istio with { InboundMode = InboundMode.Tproxy, TproxyMark = 1338 };

        var error = Assert.Throws<PolicyException>(() => policy.Validate(field => field == PolicyFields.TproxyMark ? "-t" : field));

        Assert.Equal("-t", error.Setting);
        Assert.Contains("1338", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(CapturePolicy.TproxyTable))]
    [InlineData(nameof(CapturePolicy.OutboundExcludeCidrs))]
    [InlineData(nameof(CapturePolicy.ProxyUid))]
    [InlineData(nameof(CapturePolicy.MediaPort))]
    [InlineData(nameof(CapturePolicy.ExcludeInterfaces))]
    [InlineData(nameof(CapturePolicy.Families))]
    [InlineData(nameof(CapturePolicy.InboundExcludePorts))]
    public void Validate_PolicyThatCannotWork_IsRefused(string broken)
    {
        var istio = CapturePresets.Istio;
        var policy = broken switch
        {
            nameof(CapturePolicy.TproxyTable) => istio with { InboundMode = InboundMode.Tproxy, TproxyTable = 254 },
            nameof(CapturePolicy.OutboundExcludeCidrs) => istio with { OutboundExcludeCidrs = CidrSet.Every },
            nameof(CapturePolicy.ProxyUid) => istio with { ProxyUid = null, ProxyGid = null },
            nameof(CapturePolicy.MediaPort) => istio with { MediaUdpPorts = PortSet.Of(5004), MediaPort = null },
            nameof(CapturePolicy.ExcludeInterfaces) => istio with { ExcludeInterfaces = ["eth0", "a/b"] },
            nameof(CapturePolicy.Families) => istio with { Families = CaptureFamilies.Ipv4, OutboundCidrs = CidrSet.Parse("fd00::/8", "-i") },
            _ => istio with { InboundExcludePorts = PortSet.Every },
        };

        Assert.Throws<PolicyException>(() => policy.Validate());
    }
}
