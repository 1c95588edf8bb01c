using System.Net.Sockets;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

/// <summary>Settings read and written through netlink agree with what /proc/sys shows.</summary>
public sealed class DeviceConfigTests
{
    [RootFact]
    public void IsForwarding_FollowsTheNamespacesSysctls_InBothFamilies()
    {
        using var node = TestNetns.Create("fwd");
        using var ns = node.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        // A new namespace may copy the host's settings (devconf_inherit_init_net): start from off.
        Sysctl.Sysctl.Write(ns, "net.ipv4.ip_forward", "0");
        Sysctl.Sysctl.Write(ns, "net.ipv6.conf.all.forwarding", "0");
        Assert.False(rtnl.IsForwarding(AddressFamily.InterNetwork));
        Assert.False(rtnl.IsForwarding(AddressFamily.InterNetworkV6));

        Sysctl.Sysctl.Write(ns, "net.ipv4.ip_forward", "1");
        Assert.True(rtnl.IsForwarding(AddressFamily.InterNetwork));
        Assert.False(rtnl.IsForwarding(AddressFamily.InterNetworkV6));

        Sysctl.Sysctl.Write(ns, "net.ipv6.conf.all.forwarding", "1");
        Sysctl.Sysctl.Write(ns, "net.ipv4.ip_forward", "0");
        Assert.False(rtnl.IsForwarding(AddressFamily.InterNetwork));
        Assert.True(rtnl.IsForwarding(AddressFamily.InterNetworkV6));
    }

    [RootFact]
    public void SetIpv4DeviceSetting_ArpNotify_IsWhatProcSysShows_ForThatLinkOnly()
    {
        using var node = TestNetns.Create("arpn");
        node.Exec("ip", "link", "add", "one0", "type", "bridge");
        node.Exec("ip", "link", "add", "two0", "type", "bridge");
        using var ns = node.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/one0/arp_notify", "0");
        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/two0/arp_notify", "0");

        rtnl.SetIpv4DeviceSetting(rtnl.GetLink("one0").Index, Rtnl.Ipv4DeviceSetting.ArpNotify, 1);

        Assert.Equal("1", Sysctl.Sysctl.Read(ns, "net/ipv4/conf/one0/arp_notify"));
        Assert.Equal("0", Sysctl.Sysctl.Read(ns, "net/ipv4/conf/two0/arp_notify"));
        rtnl.SetIpv4DeviceSetting(rtnl.GetLink("one0").Index, Rtnl.Ipv4DeviceSetting.ArpNotify, 0);
        Assert.Equal("0", Sysctl.Sysctl.Read(ns, "net/ipv4/conf/one0/arp_notify"));
    }

    [RootFact]
    public void GetIpv4DeviceSetting_ReadsWhatProcSysWrote_ForThatLinkOnly()
    {
        using var node = TestNetns.Create("rlnt");
        node.Exec("ip", "link", "add", "one0", "type", "bridge");
        node.Exec("ip", "link", "add", "two0", "type", "bridge");
        using var ns = node.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        var (one, two) = (rtnl.GetLink("one0").Index, rtnl.GetLink("two0").Index);
        foreach (var key in new[] { "one0/route_localnet", "two0/route_localnet", "one0/arp_notify", "two0/arp_notify" })
        {
            Sysctl.Sysctl.Write(ns, "net/ipv4/conf/" + key, "0");
        }

        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.RouteLocalnet));

        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/one0/route_localnet", "1");
        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/two0/arp_notify", "1");

        Assert.Equal(1u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.RouteLocalnet));
        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(two, Rtnl.Ipv4DeviceSetting.RouteLocalnet));
        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.ArpNotify));
        Assert.Equal(1u, rtnl.GetIpv4DeviceSetting(two, Rtnl.Ipv4DeviceSetting.ArpNotify));
    }
}
