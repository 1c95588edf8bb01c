using Sluice.Cni;
using static Sluice.Ipam.Tests.Settings;

namespace Sluice.Ipam.Tests;

public sealed class IpamSettingsTests
{
    [Fact]
    public void Load_FillsHostLocalDefaults()
    {
        var settings = Load("""{"type":"sluice-ipam","ranges":[[{"subnet":"10.22.0.0/24"}],[{"subnet":"fd00::/120"}]]}""");
        Assert.Equal("/var/lib/cni/networks", settings.DataDir);
        Assert.Equal("/var/lib/cni/networks/net1", settings.NetworkDirectory);
        var v4 = settings.RangeSets[0].Ranges[0];
        Assert.Equal("10.22.0.1", v4.Start.ToString());
        Assert.Equal("10.22.0.254", v4.End.ToString());
        Assert.Equal("10.22.0.1", v4.Gateway.ToString());
        Assert.Equal(UInt128.Parse("253"), v4.Capacity);
        var v6 = settings.RangeSets[1].Ranges[0];
        Assert.Equal("fd00::1", v6.Start.ToString());
        Assert.Equal("fd00::ff", v6.End.ToString());
        Assert.Equal(1, settings.RangeSets[1].Index);
    }

    [Fact]
    public void Load_LegacySubnetBecomesTheFirstRangeSet()
    {
        var settings = Load("""{"subnet":"10.1.0.0/16","rangeStart":"10.1.5.10","rangeEnd":"10.1.5.20","gateway":"10.1.0.254","ranges":[[{"subnet":"fd01::/64"}]]}""");
        Assert.Equal(2, settings.RangeSets.Count);
        var legacy = settings.RangeSets[0].Ranges[0];
        Assert.Equal(("10.1.5.10", "10.1.5.20", "10.1.0.254"), (legacy.Start.ToString(), legacy.End.ToString(), legacy.Gateway.ToString()));
    }

    [Fact]
    public void Load_RuntimeIpRangesReplaceTheConfiguredRanges()
    {
        var settings = Load("""{"ranges":[[{"subnet":"10.22.0.0/24"}]]}""", ""","runtimeConfig":{"IPRanges":[[{"subnet":"10.99.0.0/24"}]]}""");
        Assert.Equal("10.99.0.0/24", settings.RangeSets.Single().Ranges.Single().Subnet.ToString());
    }

    [Fact]
    public void Load_ReadsRoutesDataDirAndResolvConf()
    {
        var settings = Load("""{"ranges":[[{"subnet":"10.22.0.0/24"}]],"routes":[{"dst":"0.0.0.0/0"},{"dst":"10.0.0.0/8","gw":"10.22.0.254"}],"dataDir":"/tmp/x","resolvConf":"/etc/resolv.conf"}""");
        Assert.Equal(2, settings.Routes.Count);
        Assert.Equal("/tmp/x/net1", settings.NetworkDirectory);
        Assert.Equal("/etc/resolv.conf", settings.ResolvConf);
    }

    [Theory]
    [InlineData("""{"type":"sluice-ipam"}""", "nothing to allocate from")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.5/24"}]]}""", "ipam.ranges[0][0].subnet '10.22.0.5/24' has host bits set (the network is 10.22.0.0/24)")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/31"}]]}""", "ipam.ranges[0][0].subnet '10.22.0.0/31' is too small")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0"}]]}""", "ipam.ranges[0][0].subnet '10.22.0.0' is not a network in CIDR notation")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24","rangeStart":"10.23.0.1"}]]}""", "ipam.ranges[0][0].rangeStart '10.23.0.1' is not an address in 10.22.0.0/24")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24","rangeEnd":"x"}]]}""", "ipam.ranges[0][0].rangeEnd 'x'")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24","rangeStart":"10.22.0.50","rangeEnd":"10.22.0.10"}]]}""", "rangeStart 10.22.0.50 is after rangeEnd 10.22.0.10")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24","gateway":"fd00::1"}]]}""", "ipam.ranges[0][0].gateway 'fd00::1'")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24"},{"subnet":"fd00::/64"}]]}""", "ipam.ranges[0] mixes IPv4 and IPv6")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24"},{"subnet":"10.22.0.0/25"}]]}""", "ipam.ranges[0][1]")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24"}],[{"subnet":"10.22.0.0/16"}]]}""", "ipam.ranges[1] overlaps ipam.ranges[0]")]
    [InlineData("""{"ranges":[[]]}""", "ipam.ranges[0] is an empty range set")]
    [InlineData("""{"subnet":"10.22.0.1/24"}""", "ipam.subnet '10.22.0.1/24' has host bits set")]
    [InlineData("""{"ranges":[[{"subnet":"10.22.0.0/24"}]],"routes":[{"dst":"default"}]}""", "ipam.routes[0].dst 'default'")]
    public void Load_WithBadInput_FailsWithCode7NamingTheField(string ipam, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Load(ipam));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WithoutIpamSection_FailsWithCode7()
    {
        var config = Settings.Parse("""{"cniVersion":"1.1.0","name":"n","type":"t"}""");
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, Assert.Throws<CniException>(() => Sluice.Ipam.Config.IpamSettings.Load(config)).Code);
    }

    [Fact]
    public void Load_WithRangesOfTheWrongType_FailsWithCode6NamingTheField()
    {
        var error = Assert.Throws<CniException>(() => Load("""{"ranges":{"subnet":"10.0.0.0/8"}}"""));
        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Contains("field 'ipam.ranges' expected an array", error.Message, StringComparison.Ordinal);
    }
}
