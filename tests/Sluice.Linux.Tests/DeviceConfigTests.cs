using System.Net.Sockets;
using Sluice.Linux.Namespaces;
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
        using var ns = TwoLinksWithSettingsOff(node);
        using var rtnl = Rtnl.OpenIn(ns);

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
        using var ns = TwoLinksWithSettingsOff(node);
        using var rtnl = Rtnl.OpenIn(ns);
        var (one, two) = (rtnl.GetLink("one0").Index, rtnl.GetLink("two0").Index);
        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.RouteLocalnet));

        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/one0/route_localnet", "1");
        Sysctl.Sysctl.Write(ns, "net/ipv4/conf/two0/arp_notify", "1");

        Assert.Equal(1u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.RouteLocalnet));
        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(two, Rtnl.Ipv4DeviceSetting.RouteLocalnet));
        Assert.Equal(0u, rtnl.GetIpv4DeviceSetting(one, Rtnl.Ipv4DeviceSetting.ArpNotify));
        Assert.Equal(1u, rtnl.GetIpv4DeviceSetting(two, Rtnl.Ipv4DeviceSetting.ArpNotify));
    }

    /// <summary>
    /// Links one0 and two0 in <paramref name="node"/>, with route_localnet and arp_notify off (a new
    /// namespace may copy the host's settings, devconf_inherit_init_net); the namespace, opened.
    /// </summary>
    private static NetNs TwoLinksWithSettingsOff(TestNetns node)
    {
        var ns = node.Open();
        foreach (var link in new[] { "one0", "two0" })
        {
            node.Exec("ip", "link", "add", link, "type", "bridge");
            Sysctl.Sysctl.Write(ns, $"net/ipv4/conf/{link}/route_localnet", "0");
            Sysctl.Sysctl.Write(ns, $"net/ipv4/conf/{link}/arp_notify", "0");
        }

        return ns;
    }
}
