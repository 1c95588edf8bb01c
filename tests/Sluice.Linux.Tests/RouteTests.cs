using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class RouteTests : IDisposable
{
    private const byte OwnProtocol = 201;
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    public static TheoryData<string, string, string, string> Families => new()
    {
        { "10.50.0.2/24", "10.50.0.1", "10.60.0.0/16", "10.50.0.254" },
        { "fd50::2/64", "fd50::1", "fd60::/48", "fd50::fe" },
    };

    [RootTheory]
    [MemberData(nameof(Families))]
    public void AddReplaceDelete_ViaGateway_RoundTrips(string podAddress, string gateway, string destination, string otherGateway)
    {
        var (_, pod) = _ns.Veth(podAddress: podAddress);
        var family = IPAddress.Parse(gateway).AddressFamily;
        var route = Route.To(IPNetwork.Parse(destination)) with { Gateway = IPAddress.Parse(gateway), OutputIndex = pod.Index, Protocol = OwnProtocol, Metric = 50 };
        _ns.PodRtnl.AddRoute(route);

        var listed = Assert.Single(_ns.PodRtnl.ListRoutes(family), r => r.Destination?.ToString() == destination);
        Assert.Equal(IPAddress.Parse(gateway), listed.Gateway);
        Assert.Equal(OwnProtocol, listed.Protocol);
        Assert.Equal(50, listed.Metric);
        Assert.Equal(pod.Index, listed.OutputIndex);

        var replaced = route with { Gateway = IPAddress.Parse(otherGateway) };
        _ns.PodRtnl.ReplaceRoute(replaced);
        Assert.Equal(IPAddress.Parse(otherGateway), _ns.PodRtnl.ListRoutes(family).Single(r => r.Destination?.ToString() == destination).Gateway);
        Assert.Equal(Errno.ESRCH, Assert.Throws<LinuxException>(() => _ns.PodRtnl.DeleteRoute(route)).ErrorNumber);

        _ns.PodRtnl.DeleteRoute(replaced);
        Assert.DoesNotContain(_ns.PodRtnl.ListRoutes(family), r => r.Destination?.ToString() == destination);
    }

    [RootFact]
    public void ReplaceRoutesAndDeleteRoutes_ManyBatches_EachRefusalNamesItsRoute()
    {
        _ = _ns.Veth(podAddress: "10.50.0.2/24");
        var gateway = IPAddress.Parse("10.50.0.1");
        var routes = Enumerable.Range(0, (3 * Rtnl.RoutesPerDatagram) + 5)
            .Select(i => Route.To(IPNetwork.Parse($"10.61.{i}.0/24")) with { Gateway = gateway, Protocol = OwnProtocol })
            .ToList();

        // One route in the middle of the second datagram has a gateway on no connected network.
        var unreachable = Route.To(IPNetwork.Parse("10.62.0.0/24")) with { Gateway = IPAddress.Parse("192.0.2.1"), Protocol = OwnProtocol };
        routes.Insert(Rtnl.RoutesPerDatagram + 10, unreachable);

        var refused = _ns.PodRtnl.ReplaceRoutes(routes);

        var (route, error) = Assert.Single(refused);
        Assert.Same(unreachable, route);
        Assert.Equal(Errno.ENETUNREACH, error.ErrorNumber);
        Assert.Contains("10.62.0.0/24", error.Message, StringComparison.Ordinal);
        var ours = _ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork).Where(r => r.Protocol == OwnProtocol).ToList();
        Assert.Equal(routes.Count - 1, ours.Count);
        Assert.Empty(_ns.PodRtnl.ReplaceRoutes(routes.Where(r => r != unreachable).ToList()));

        var deleteRefused = _ns.PodRtnl.DeleteRoutes(routes);

        Assert.Equal(unreachable, Assert.Single(deleteRefused).Route);
        Assert.Equal(Errno.ESRCH, deleteRefused[0].Error.ErrorNumber);
        Assert.DoesNotContain(_ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork), r => r.Protocol == OwnProtocol);
    }

    [RootTheory]
    [InlineData("10.50.0.2/24", "10.50.0.1")]
    [InlineData("fd50::2/64", "fd50::1")]
    public void DefaultRoute_IsListedWithoutDestination(string podAddress, string gateway)
    {
        var (_, pod) = _ns.Veth(podAddress: podAddress);
        var family = IPAddress.Parse(gateway).AddressFamily;
        _ns.PodRtnl.AddRoute(Route.Default(family) with { Gateway = IPAddress.Parse(gateway), OutputIndex = pod.Index });
        var listed = Assert.Single(_ns.PodRtnl.ListRoutes(family), r => r.IsDefault);
        Assert.Equal(IPAddress.Parse(gateway), listed.Gateway);
        var text = _ns.PodNs.Exec("ip", family == AddressFamily.InterNetwork ? "-4" : "-6", "route", "show", "default");
        Assert.Contains($"default via {gateway} dev eth0", text, StringComparison.Ordinal);
    }

    [RootFact]
    public void DeviceRoute_WithoutGateway_HasLinkScope()
    {
        var (_, pod) = _ns.Veth();
        _ns.PodRtnl.AddRoute(Route.To(IPNetwork.Parse("10.70.0.0/24")) with { OutputIndex = pod.Index });
        var listed = _ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork).Single(r => r.Destination?.ToString() == "10.70.0.0/24");
        Assert.Equal(Scope.Link, listed.Scope);
    }

    [RootFact]
    public void Route_InAnotherTableWithMtuAndAdvmss_IsKeptThere()
    {
        var (_, pod) = _ns.Veth(podAddress: "10.50.0.2/24");
        _ns.PodRtnl.AddRoute(Route.To(IPNetwork.Parse("10.80.0.0/16")) with { Gateway = IPAddress.Parse("10.50.0.1"), Table = 1000, Mtu = 1300, AdvMss = 1260 });
        Assert.DoesNotContain(_ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork), r => r.Destination?.ToString() == "10.80.0.0/16");
        var listed = _ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork, table: 1000).Single();
        Assert.Equal((1300, 1260), (listed.Mtu, listed.AdvMss));
    }

    [RootFact]
    public void LocalRoute_ForTproxy_IsAccepted()
    {
        var lo = _ns.PodRtnl.GetLink("lo");
        _ns.PodRtnl.SetUp(lo.Index);
        _ns.PodRtnl.AddRoute(Route.Default(AddressFamily.InterNetwork) with { Type = RouteType.Local, OutputIndex = lo.Index, Table = 133 });
        var listed = _ns.PodRtnl.ListRoutes(AddressFamily.InterNetwork, table: 133).Single();
        Assert.Equal((RouteType.Local, Scope.Host), (listed.Type, listed.Scope));
    }

    [RootFact]
    public void AddRoute_Twice_FailsWithEexist()
    {
        var (_, pod) = _ns.Veth(podAddress: "10.50.0.2/24");
        var route = Route.To(IPNetwork.Parse("10.60.0.0/16")) with { Gateway = IPAddress.Parse("10.50.0.1") };
        _ns.PodRtnl.AddRoute(route);
        Assert.Equal(Errno.EEXIST, Assert.Throws<LinuxException>(() => _ns.PodRtnl.AddRoute(route)).ErrorNumber);
    }

    [RootFact]
    public void DeleteRoute_ThatDoesNotExist_FailsWithEsrch()
    {
        _ns.Veth(podAddress: "10.50.0.2/24");
        var error = Assert.Throws<LinuxException>(() => _ns.PodRtnl.DeleteRoute(Route.To(IPNetwork.Parse("10.99.0.0/16"))));
        Assert.Equal(Errno.ESRCH, error.ErrorNumber);
    }

    [RootFact]
    public void AddRoute_ViaAnUnreachableGateway_FailsWithENetUnreachAndTheKernelsExtendedAck()
    {
        _ns.Veth(podAddress: "10.50.0.2/24");
        var error = Assert.Throws<LinuxException>(() => _ns.PodRtnl.AddRoute(Route.To(IPNetwork.Parse("10.60.0.0/16")) with { Gateway = IPAddress.Parse("192.168.77.1") }));
        Assert.Equal(Errno.ENETUNREACH, error.ErrorNumber);
        Assert.Equal("Nexthop has invalid gateway", error.KernelMessage);
        Assert.EndsWith("(ENETUNREACH): Nexthop has invalid gateway", error.Message, StringComparison.Ordinal);
        Assert.Contains("adding route 10.60.0.0/16 via 192.168.77.1", error.Message, StringComparison.Ordinal);
    }
}
