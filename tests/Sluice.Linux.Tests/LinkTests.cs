using System.Net.NetworkInformation;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class LinkTests : IDisposable
{
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootFact]
    public void CreateVeth_PutsThePeerInTheOtherNamespaceUnderItsName()
    {
        _ns.NodeRtnl.CreateVeth("veth0a1b2c3d", "eth0", _ns.Pod, mtu: 1400, peerMac: PhysicalAddress.Parse("02-00-00-00-00-07"));
        var host = _ns.NodeRtnl.GetLink("veth0a1b2c3d");
        var pod = _ns.PodRtnl.GetLink("eth0");
        Assert.Equal("veth", host.Kind);
        Assert.Equal("veth", pod.Kind);
        Assert.Equal(1400, host.Mtu);
        Assert.Equal(1400, pod.Mtu);
        Assert.Equal("02:00:00:00:00:07", pod.MacText);
        Assert.Equal(host.Index, pod.ParentIndex);
        Assert.Null(_ns.NodeRtnl.FindLink("eth0"));
        Assert.Contains(_ns.NodeRtnl.ListLinks(), l => l.Name == "veth0a1b2c3d");
    }

    [RootFact]
    public void CreateVeth_GivesBothEndsOneQueueEachWay()
    {
        // Left to the kernel, each end gets a queue per possible CPU (two here) and is cut to one
        // after registration, an expedited RCU grace period each under the rtnl lock.
        _ns.NodeRtnl.CreateVeth("veth1a2b3c4d", "eth0", _ns.Pod);
        foreach (var end in new[] { _ns.NodeRtnl.GetLink("veth1a2b3c4d"), _ns.PodRtnl.GetLink("eth0") })
        {
            Assert.Equal((1, 1), (end.TxQueues, end.RxQueues));
        }
    }

    [RootFact]
    public void DeleteLink_RemovesBothEndsOfAVeth()
    {
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.DeleteLink(host.Index);
        Assert.Null(_ns.NodeRtnl.FindLink("host0"));
        Assert.Null(_ns.PodRtnl.FindLink("eth0"));
        Assert.False(_ns.NodeRtnl.DeleteLink("host0"));
    }

    [RootFact]
    public void SetUpDownMtuMacAndRename_AreApplied()
    {
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.SetDown(host.Index);
        Assert.False(_ns.NodeRtnl.GetLink(host.Index).IsUp);
        _ns.NodeRtnl.SetMtu(host.Index, 9000);
        _ns.NodeRtnl.SetMac(host.Index, PhysicalAddress.Parse("02-aa-bb-cc-dd-ee"));
        _ns.NodeRtnl.Rename(host.Index, "renamed0");
        _ns.NodeRtnl.SetUp(host.Index);
        var after = _ns.NodeRtnl.GetLink("renamed0");
        Assert.Equal((host.Index, 9000, "02:aa:bb:cc:dd:ee", true), (after.Index, after.Mtu, after.MacText, after.IsUp));
    }

    [RootFact]
    public void Bridge_TakesPortsWithHairpinAndPromiscuousMode()
    {
        _ns.NodeRtnl.CreateBridge("br-test", mtu: 1450);
        var bridge = _ns.NodeRtnl.GetLink("br-test");
        Assert.Equal("bridge", bridge.Kind);
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.SetMaster(host.Index, bridge.Index);
        _ns.NodeRtnl.SetHairpin(host.Index, true);
        _ns.NodeRtnl.SetPromiscuous(bridge.Index, true);
        Assert.Equal(bridge.Index, _ns.NodeRtnl.GetLink(host.Index).MasterIndex);
        Assert.True(_ns.NodeRtnl.GetLink(bridge.Index).Promiscuity > 0);
        Assert.Contains("hairpin on", _ns.NodeNs.Exec("ip", "-d", "link", "show", "host0"), StringComparison.Ordinal);

        _ns.NodeRtnl.SetHairpin(host.Index, false);
        _ns.NodeRtnl.SetMaster(host.Index, 0);
        _ns.NodeRtnl.SetPromiscuous(bridge.Index, false);
        Assert.Equal(0, _ns.NodeRtnl.GetLink(host.Index).MasterIndex);
        Assert.Equal(0, _ns.NodeRtnl.GetLink(bridge.Index).Promiscuity);
    }

    [RootFact]
    public void AttachUp_EnslavesTagsAndBringsUpTheLinkInOneRequest()
    {
        _ns.NodeRtnl.CreateBridge("br-test");
        var bridge = _ns.NodeRtnl.GetLink("br-test");
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.SetDown(host.Index);

        _ns.NodeRtnl.AttachUp(host.Index, bridge.Index, "sluice:test/c1/eth0");

        var after = _ns.NodeRtnl.GetLink(host.Index);
        Assert.Equal((bridge.Index, "sluice:test/c1/eth0", true), (after.MasterIndex, after.Alias, after.IsUp));
    }

    [RootFact]
    public void GetLink_ReadsWhetherTheLinkTakesRouterAdvertisements_NullWithoutIpv6()
    {
        var (host, _) = _ns.Veth();
        _ns.NodeNs.Exec("sysctl", "-w", $"net.ipv6.conf.{host.Name}.accept_ra=2");
        Assert.Equal(2, _ns.NodeRtnl.GetLink(host.Index).Ipv6AcceptRa);
        _ns.NodeNs.Exec("sysctl", "-w", $"net.ipv6.conf.{host.Name}.accept_ra=0");
        Assert.Equal(0, _ns.NodeRtnl.GetLink(host.Index).Ipv6AcceptRa);

        // Below IPv6's minimum MTU the kernel takes IPv6 off the link altogether.
        _ns.NodeRtnl.SetMtu(host.Index, 1200);
        Assert.Null(_ns.NodeRtnl.GetLink(host.Index).Ipv6AcceptRa);
    }

    [RootFact]
    public void WaitOperUp_ReturnsOnceBothEndsAreUp()
    {
        var (host, _) = _ns.Veth();
        Assert.Equal(OperState.Up, _ns.NodeRtnl.WaitOperUp(host.Index, TimeSpan.FromSeconds(5)).OperState);
    }

    [RootFact]
    public void WaitOperUp_GivesUpAfterItsBoundWithEtimedout()
    {
        // Only the host end up: its peer never is, so it never has a carrier. (Bringing the pod end
        // down after both were up would leave a moment in which the kernel, which updates the
        // operational state on a worker of its own, still reports the host end up.)
        _ns.NodeRtnl.CreateVeth("host0", "eth0", _ns.Pod);
        var host = _ns.NodeRtnl.GetLink("host0");
        _ns.NodeRtnl.SetUp(host.Index);
        var started = DateTime.UtcNow;
        var error = Assert.Throws<LinuxException>(() => _ns.NodeRtnl.WaitOperUp(host.Index, TimeSpan.FromMilliseconds(100)));
        Assert.Equal(Errno.ETIMEDOUT, error.ErrorNumber);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
    }

    [RootFact]
    public void CreateVeth_WhenTheNameExists_FailsWithEexistNamingVethAndNamespace()
    {
        _ns.Veth();
        var error = Assert.Throws<LinuxException>(() => _ns.NodeRtnl.CreateVeth("host0", "eth1", _ns.Pod));
        Assert.Equal(Errno.EEXIST, error.ErrorNumber);
        Assert.StartsWith($"creating veth host0 (peer eth1 in netns {_ns.PodNs.Path}) in netns {_ns.NodeNs.Path}: File exists (EEXIST)", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void CreateVeth_WhenThePeerNameExistsOverThere_FailsWithEexist()
    {
        _ns.Veth();
        var error = Assert.Throws<LinuxException>(() => _ns.NodeRtnl.CreateVeth("host1", "eth0", _ns.Pod));
        Assert.Equal(Errno.EEXIST, error.ErrorNumber);
        Assert.Null(_ns.NodeRtnl.FindLink("host1"));
    }

    [RootFact]
    public void GetLink_WhenMissing_FailsWithEnodev()
    {
        var error = Assert.Throws<LinuxException>(() => _ns.NodeRtnl.GetLink("nothere0"));
        Assert.Equal(Errno.ENODEV, error.ErrorNumber);
        Assert.Equal($"looking up link nothere0 in netns {_ns.NodeNs.Path}: No such device (ENODEV)", error.Message);
    }

    [RootFact]
    public void Alias_IsStoredWithTheLink()
    {
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.SetAlias(host.Index, "sluice net1 ctr eth0");
        Assert.Equal("sluice net1 ctr eth0", _ns.NodeRtnl.GetLink(host.Index).Alias);
        Assert.Null(_ns.PodRtnl.GetLink("eth0").Alias);
    }

    [RootFact]
    public void Bridge_WithASetMac_KeepsItWhenPortsJoin()
    {
        _ns.NodeRtnl.CreateBridge("br-mac", mac: PhysicalAddress.Parse("02-11-22-33-44-55"));
        var bridge = _ns.NodeRtnl.GetLink("br-mac");
        var (host, _) = _ns.Veth();
        _ns.NodeRtnl.SetMaster(host.Index, bridge.Index);
        Assert.Equal("02:11:22:33:44:55", _ns.NodeRtnl.GetLink(bridge.Index).MacText);
    }
}
