using System.Net;
using Sluice.Agent.Network;

namespace Sluice.Agent.Tests.Network;

public sealed class PodMtuTests
{
    private static UnderlayLink On(string ip, string link, int mtu) => new(IPAddress.Parse(ip), link, mtu);

    private static UnderlayLink Nowhere(string ip) => new(IPAddress.Parse(ip), null, 0);

    [Theory]
    [InlineData(1500, 0, 1500)]
    [InlineData(1400, 0, 1400)]
    [InlineData(1500, 50, 1450)]
    [InlineData(9000, 70, 8930)]
    public void Derive_LinkMtuLessOverhead(int linkMtu, int overhead, int expected) => Assert.Equal(expected, PodMtu.Derive(linkMtu, overhead));

    [Fact]
    public void FromUnderlay_OneInternalIpOnOneLink_IsThatLinksMtuAndNamesIt()
    {
        var mtu = PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 1400)], TunnelOverhead.HostGw, PodMtu.Minimum);

        Assert.Equal(new PodMtu(1400, "1400 from eth1, which holds 10.0.0.2", null), mtu);
    }

    [Fact]
    public void FromUnderlay_DualStackOnOneLink_NamesBothAddresses()
    {
        var mtu = PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 9000), On("fd00::2", "eth1", 9000)], TunnelOverhead.HostGw, PodMtu.MinimumIPv6);

        Assert.Equal((9000, "9000 from eth1, which holds 10.0.0.2 and fd00::2"), (mtu.Value, mtu.Source));
    }

    [Fact]
    public void FromUnderlay_LinksWithDifferentMtus_TakesTheSmallestAndSaysSo()
    {
        var mtu = PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 9000), On("fd00::2", "eth2", 1500)], TunnelOverhead.HostGw, PodMtu.MinimumIPv6);

        Assert.Equal(1500, mtu.Value);
        Assert.Equal("1500, the smallest of eth2 (fd00::2) 1500, eth1 (10.0.0.2) 9000", mtu.Source);
        Assert.Null(mtu.Warning);
    }

    [Fact]
    public void FromUnderlay_TwoLinksWithTheSameMtu_NamesBoth()
    {
        var mtu = PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 1500), On("fd00::2", "eth2", 1500)], TunnelOverhead.HostGw, PodMtu.MinimumIPv6);

        Assert.Equal("1500 from eth1 (10.0.0.2) and eth2 (fd00::2)", mtu.Source);
    }

    [Fact]
    public void FromUnderlay_Vxlan_SubtractsItsOverheadByTheUnderlaysFamily()
    {
        Assert.Equal("1450 from eth1, which holds 10.0.0.2 (1500 less 50 for VXLAN)", PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 1500)], TunnelOverhead.Vxlan, PodMtu.Minimum).Source);
        Assert.Equal(1430, PodMtu.FromUnderlay([On("fd00::2", "eth1", 1500)], TunnelOverhead.Vxlan, PodMtu.MinimumIPv6).Value);
        Assert.Equal(1430, PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 1500), On("fd00::2", "eth1", 1500)], TunnelOverhead.Vxlan, PodMtu.MinimumIPv6).Value);
    }

    [Fact]
    public void FromUnderlay_OneOfTwoInternalIpsOnNoLocalLink_TakesTheOtherAndWarns()
    {
        var mtu = PodMtu.FromUnderlay([Nowhere("203.0.113.7"), On("fd00::2", "eth1", 1400)], TunnelOverhead.HostGw, PodMtu.MinimumIPv6);

        Assert.Equal(1400, mtu.Value);
        Assert.Equal("InternalIP 203.0.113.7 is on no local link; the pod MTU comes from fd00::2", mtu.Warning);
    }

    [Fact]
    public void FromUnderlay_NoInternalIpOnALocalLink_GivesNoValueAndAWarning()
    {
        var mtu = PodMtu.FromUnderlay([Nowhere("203.0.113.7")], TunnelOverhead.HostGw, PodMtu.Minimum);

        Assert.Null(mtu.Value);
        Assert.Equal("none: sluice-bridge's default", mtu.Source);
        Assert.StartsWith("no link in the agent's network namespace holds this node's InternalIP 203.0.113.7; the pod network's configuration gets no mtu", mtu.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void FromUnderlay_NoInternalIpAtAll_GivesNoValueAndAWarning()
    {
        var mtu = PodMtu.FromUnderlay([], TunnelOverhead.HostGw, PodMtu.Minimum);

        Assert.Null(mtu.Value);
        Assert.StartsWith("this node's Node has no InternalIP", mtu.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void FromUnderlay_BelowTheFloor_GivesNoValueAndSaysWhy()
    {
        var mtu = PodMtu.FromUnderlay([On("10.0.0.2", "eth1", 1200)], TunnelOverhead.HostGw, PodMtu.MinimumIPv6);

        Assert.Null(mtu.Value);
        Assert.StartsWith("the pod MTU 1200 from eth1, which holds 10.0.0.2, would be below 1280, the smallest the pod network can use with IPv6", mtu.Warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Floor_IsIpv6sMinimumOnlyWithAnIpv6ClusterCidr()
    {
        Assert.Equal(576, PodMtu.Floor([IPNetwork.Parse("10.244.0.0/16")]));
        Assert.Equal(1280, PodMtu.Floor([IPNetwork.Parse("10.244.0.0/16"), IPNetwork.Parse("fd00:10:244::/56")]));
    }

    [Fact]
    public void Configured_NamesTheSetting() => Assert.Equal(new PodMtu(1450, "1450 from POD_MTU", null), PodMtu.Configured(1450, "POD_MTU"));
}
