using System.Net;
using System.Net.Sockets;
using Sluice.Agent.Network;

namespace Sluice.Agent.Tests.Network;

public sealed class VxlanRoutePlanTests
{
    private static readonly VxlanRouting Vxlan = new(VxlanOptions.Default, DirectRouting: false, LocalSubnets: []);

    private static readonly NodeAddressing[] ThreeNodes = Nodes.Addressing(
        Nodes.Make("node-a", ["10.244.1.0/24", "fd00:10:244:1::/64"], "192.168.5.11", "fd00:5::11"),
        Nodes.Make("node-b", ["10.244.2.0/24", "fd00:10:244:2::/64"], "192.168.5.12", "fd00:5::12"),
        Nodes.Make("node-c", ["10.244.3.0/24", "fd00:10:244:3::/64"], "172.16.9.13", "fd00:9::13")).Items.ToArray();

    private static List<string> Routes(RoutePlan plan) => plan.Routes.Select(r => r.ToString()).ToList();

    [Fact]
    public void For_Vxlan_RoutesEachCidrViaItsFirstAddressOnTheFamilysDeviceTowardsTheInternalIp()
    {
        var plan = RoutePlan.For("node-a", ThreeNodes, Vxlan);

        Assert.Equal(
        [
            "10.244.2.0/24 via 10.244.2.0 dev sluice.vxlan onlink (node node-b, VXLAN to 192.168.5.12)",
            "fd00:10:244:2::/64 via fd00:10:244:2:: dev sluice.vxlan6 onlink (node node-b, VXLAN to fd00:5::12)",
            "10.244.3.0/24 via 10.244.3.0 dev sluice.vxlan onlink (node node-c, VXLAN to 172.16.9.13)",
            "fd00:10:244:3::/64 via fd00:10:244:3:: dev sluice.vxlan6 onlink (node node-c, VXLAN to fd00:9::13)",
        ], Routes(plan));
        Assert.Equal(VtepMac.For("node-c", AddressFamily.InterNetworkV6), plan.Routes[3].Overlay!.Mac);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void For_DirectRouting_RoutesNodesOnThisNodesSubnetsDirectlyAndTheRestOverVxlan()
    {
        var direct = Vxlan with { DirectRouting = true, LocalSubnets = [IPNetwork.Parse("192.168.5.0/24"), IPNetwork.Parse("fd00:5::/64")] };

        var plan = RoutePlan.For("node-a", ThreeNodes, direct);

        Assert.Equal(
        [
            "10.244.2.0/24 via 192.168.5.12 (node node-b)",
            "fd00:10:244:2::/64 via fd00:5::12 (node node-b)",
            "10.244.3.0/24 via 10.244.3.0 dev sluice.vxlan onlink (node node-c, VXLAN to 172.16.9.13)",
            "fd00:10:244:3::/64 via fd00:10:244:3:: dev sluice.vxlan6 onlink (node node-c, VXLAN to fd00:9::13)",
        ], Routes(plan));
    }

    [Fact]
    public void For_ThisNodeWithoutAnIpv6InternalIp_SendsNoIpv6OverVxlanAndSaysWhy()
    {
        var nodes = Nodes.Addressing(
            Nodes.Make("node-a", ["10.244.1.0/24", "fd00:10:244:1::/64"], "192.168.5.11"),
            Nodes.Make("node-b", ["10.244.2.0/24", "fd00:10:244:2::/64"], "192.168.5.12", "fd00:5::12")).Items;

        var plan = RoutePlan.For("node-a", nodes, Vxlan);

        Assert.Equal(["10.244.2.0/24 via 10.244.2.0 dev sluice.vxlan onlink (node node-b, VXLAN to 192.168.5.12)"], Routes(plan));
        Assert.Equal(["node node-b: this node has no IPv6 InternalIP to send VXLAN from, so no route to its pods in fd00:10:244:2::/64"], plan.Skipped);
    }

    [Fact]
    public void VtepMac_IsLocallyAdministeredUnicast_StableForANameAndFamily_AndDiffersBetweenThem()
    {
        var mac = VtepMac.For("node-a", AddressFamily.InterNetwork).GetAddressBytes();

        Assert.Equal(0x02, mac[0] & 0x03);
        Assert.Equal(VtepMac.For("node-a", AddressFamily.InterNetwork), VtepMac.For("node-a", AddressFamily.InterNetwork));
        Assert.NotEqual(VtepMac.For("node-a", AddressFamily.InterNetwork), VtepMac.For("node-a", AddressFamily.InterNetworkV6));
        Assert.NotEqual(VtepMac.For("node-a", AddressFamily.InterNetwork), VtepMac.For("node-b", AddressFamily.InterNetwork));
        var macs = Enumerable.Range(0, 5000).Select(i => VtepMac.For($"node-{i}", AddressFamily.InterNetwork)).ToHashSet();
        Assert.Equal(5000, macs.Count);
    }

    [Fact]
    public void VtepMac_IsTheDocumentedDerivation()
    {
        // A contract between agent versions: a cluster being upgraded runs both.
        var hash = System.Security.Cryptography.SHA256.HashData("sluice-vtep\0ipv4\0node-a"u8.ToArray());
        hash[0] = (byte)((hash[0] & 0xFC) | 0x02);

        Assert.Equal(Convert.ToHexString(hash[..6]), VtepMac.For("node-a", AddressFamily.InterNetwork).ToString());
    }
}
