using System.Net;
using System.Net.NetworkInformation;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

/// <summary>VXLAN devices, permanent neighbours, forwarding entries and onlink routes: the overlay's kernel objects, written and read back over rtnetlink.</summary>
public sealed class VxlanTests : IDisposable
{
    private static readonly PhysicalAddress NodeMac = PhysicalAddress.Parse("0e-00-00-00-00-01");
    private static readonly PhysicalAddress PodMac = PhysicalAddress.Parse("0e-00-00-00-00-02");

    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootTheory]
    [InlineData("10.92.0.1", "10.92.0.2", 24)]
    [InlineData("fd92::1", "fd92::2", 64)]
    public void CreatedVxlan_IsReadBackWithItsTunnel(string local, string remote, int prefix)
    {
        var (host, _) = _ns.Veth(hostAddress: $"{local}/{prefix}", podAddress: $"{remote}/{prefix}");
        var tunnel = new VxlanSettings(7, 8472, IPAddress.Parse(local), host.Index, Learning: false);
        _ns.NodeRtnl.CreateVxlan("vx0", tunnel, mtu: 1400, mac: NodeMac);

        var link = _ns.NodeRtnl.GetLink("vx0");
        Assert.Equal("vxlan", link.Kind);
        Assert.Equal(tunnel, link.Vxlan);
        Assert.Equal(1400, link.Mtu);
        Assert.Equal(NodeMac, link.Mac);
        Assert.Null(_ns.NodeRtnl.GetLink(host.Index).Vxlan);
    }

    [RootFact]
    public void PermanentNeighbourAndForwardingEntry_AreReplacedListedAndDeleted()
    {
        var (host, _) = _ns.Veth(hostAddress: "10.92.0.1/24", podAddress: "10.92.0.2/24");
        _ns.NodeRtnl.CreateVxlan("vx0", new VxlanSettings(1, 8472, IPAddress.Parse("10.92.0.1"), host.Index, false));
        var vx = _ns.NodeRtnl.GetLink("vx0");
        var peer = IPAddress.Parse("10.93.2.0");

        _ns.NodeRtnl.ReplacePermanentNeighbour(vx.Index, peer, PodMac);
        _ns.NodeRtnl.ReplaceForwardingEntry(vx.Index, PodMac, IPAddress.Parse("10.92.0.2"));
        _ns.NodeRtnl.ReplaceForwardingEntry(vx.Index, PodMac, IPAddress.Parse("10.92.0.3"));

        var neighbour = Assert.Single(_ns.NodeRtnl.ListNeighbours(vx.Index));
        Assert.Equal((peer, PodMac, (ushort)0x80), (neighbour.Address, neighbour.Mac, neighbour.State));
        var entry = Assert.Single(_ns.NodeRtnl.ListForwardingEntries(vx.Index), e => e.Mac.Equals(PodMac));
        Assert.Equal(IPAddress.Parse("10.92.0.3"), entry.Destination);
        Assert.True(entry.Self && entry.IsPermanent);

        Assert.True(_ns.NodeRtnl.DeleteForwardingEntry(vx.Index, PodMac, entry.Destination));
        Assert.False(_ns.NodeRtnl.DeleteForwardingEntry(vx.Index, PodMac, entry.Destination));
        Assert.True(_ns.NodeRtnl.DeleteNeighbour(vx.Index, peer));
        Assert.False(_ns.NodeRtnl.DeleteNeighbour(vx.Index, peer));
        Assert.Empty(_ns.NodeRtnl.ListNeighbours(vx.Index));
        Assert.DoesNotContain(_ns.NodeRtnl.ListForwardingEntries(vx.Index), e => e.Mac.Equals(PodMac));
    }

    [RootTheory]
    [InlineData("10.92.0.1", "10.92.0.2", 24)]
    [InlineData("fd92::1", "fd92::2", 64)]
    public void TwoVxlanEnds_WithOnlinkRoutesNeighboursAndForwardingEntries_CarryAPing(string nodeUnderlay, string podUnderlay, int prefix)
    {
        var (host, pod) = _ns.Veth(hostAddress: $"{nodeUnderlay}/{prefix}", podAddress: $"{podUnderlay}/{prefix}");
        var ends = new[]
        {
            (Rtnl: _ns.NodeRtnl, Underlay: host.Index, Local: nodeUnderlay, Mac: NodeMac, Vtep: "10.93.1.0", Far: (Mac: PodMac, Underlay: podUnderlay, Vtep: "10.93.2.0")),
            (Rtnl: _ns.PodRtnl, Underlay: pod.Index, Local: podUnderlay, Mac: PodMac, Vtep: "10.93.2.0", Far: (Mac: NodeMac, Underlay: nodeUnderlay, Vtep: "10.93.1.0")),
        };
        foreach (var end in ends)
        {
            end.Rtnl.CreateVxlan("vx0", new VxlanSettings(1, 8472, IPAddress.Parse(end.Local), end.Underlay, false), mac: end.Mac);
            var vx = end.Rtnl.GetLink("vx0");
            end.Rtnl.AddAddress(vx.Index, IPAddress.Parse(end.Vtep), 32);
            end.Rtnl.SetUp(vx.Index);
            end.Rtnl.ReplacePermanentNeighbour(vx.Index, IPAddress.Parse(end.Far.Vtep), end.Far.Mac);
            end.Rtnl.ReplaceForwardingEntry(vx.Index, end.Far.Mac, IPAddress.Parse(end.Far.Underlay));
            var farPods = new IPNetwork(IPAddress.Parse(end.Far.Vtep), 24);
            end.Rtnl.ReplaceRoute(Route.To(farPods) with { Gateway = IPAddress.Parse(end.Far.Vtep), OutputIndex = vx.Index, OnLink = true });
            var route = Assert.Single(end.Rtnl.ListRoutes(System.Net.Sockets.AddressFamily.InterNetwork), r => r.Destination == farPods);
            Assert.True(route.OnLink);
        }

        // The node's VTEP address, sent across the tunnel to the pod side's VTEP address.
        _ns.NodeNs.Exec("ping", "-c", "1", "-W", "3", "-I", "10.93.1.0", "10.93.2.0");
    }
}
