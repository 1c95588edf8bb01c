using System.Net;
using Sluice.Agent.Network;

namespace Sluice.Agent.Tests.Network;

public sealed class RoutePlanTests
{
    private static readonly string[] DualA = ["10.244.1.0/24", "fd00:10:244:1::/64"];
    private static readonly string[] DualB = ["10.244.2.0/24", "fd00:10:244:2::/64"];

    private static List<string> Routes(RoutePlan plan) => plan.Routes.Select(r => $"{r.Destination} via {r.Via}").ToList();

    [Fact]
    public void For_TwoDualStackNodes_RoutesEachOfTheOthersCidrsViaTheSameFamily()
    {
        var nodes = Nodes.Addressing(
            Nodes.Make("node-a", DualA, "192.168.5.11", "fd00:5::11"),
            Nodes.Make("node-b", DualB, "192.168.5.12", "fd00:5::12"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Equal(["10.244.2.0/24 via 192.168.5.12", "fd00:10:244:2::/64 via fd00:5::12"], Routes(plan));
        Assert.All(plan.Routes, r => Assert.Equal("node-b", r.Node));
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void For_OnlyThisNode_NeedsNoRoute()
    {
        var plan = RoutePlan.For("node-a", Nodes.Addressing(Nodes.Make("node-a", DualA, "192.168.5.11")).Items);

        Assert.Empty(plan.Routes);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void For_NodeWithoutIpv6InternalIp_RoutesIpv4AndSaysWhyNotIpv6()
    {
        var nodes = Nodes.Addressing(Nodes.Make("node-a", DualA, "192.168.5.11"), Nodes.Make("node-b", DualB, "192.168.5.12"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Equal(["10.244.2.0/24 via 192.168.5.12"], Routes(plan));
        Assert.Equal(["node node-b: no IPv6 InternalIP, so no route to its pods in fd00:10:244:2::/64"], plan.Skipped);
    }

    [Fact]
    public void For_NodeWithoutPodCidrsYet_HasNoRouteAndNoComplaint()
    {
        var nodes = Nodes.Addressing(Nodes.Make("node-a", DualA, "192.168.5.11"), Nodes.Make("node-new", [], "192.168.5.20"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Empty(plan.Routes);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void For_TwoNodesClaimingOneCidr_RoutesNeither()
    {
        var nodes = Nodes.Addressing(
            Nodes.Make("node-a", ["10.244.1.0/24"], "192.168.5.11"),
            Nodes.Make("node-b", ["10.244.2.0/24"], "192.168.5.12"),
            Nodes.Make("node-c", ["10.244.2.0/24"], "192.168.5.13"),
            Nodes.Make("node-d", ["10.244.4.0/24"], "192.168.5.14"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Equal(["10.244.4.0/24 via 192.168.5.14"], Routes(plan));
        Assert.Equal(["nodes node-b and node-c both claim 10.244.2.0/24: no route to it until one lets go"], plan.Skipped);
    }

    [Theory]
    [InlineData("10.244.1.0/24")]
    [InlineData("10.244.0.0/16")]
    [InlineData("10.244.1.128/25")]
    public void For_CidrOverlappingThisNodesOwn_IsNotRouted(string theirs)
    {
        var nodes = Nodes.Addressing(Nodes.Make("node-a", ["10.244.1.0/24"], "192.168.5.11"), Nodes.Make("node-b", [theirs], "192.168.5.12"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Empty(plan.Routes);
        Assert.Equal([$"node node-b: its pod CIDR {theirs} overlaps this node's 10.244.1.0/24; not routed"], plan.Skipped);
    }

    [Fact]
    public void For_MalformedValuesOfAnotherNode_AreSkippedWithTheirProblem()
    {
        var nodes = Nodes.Addressing(Nodes.Make("node-a", ["10.244.1.0/24"], "192.168.5.11"), Nodes.Make("node-b", ["10.244.2.0/24", "oops"], "192.168.5.12"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Equal(["10.244.2.0/24 via 192.168.5.12"], Routes(plan));
        Assert.Equal(["node node-b: spec.podCIDRs value 'oops' is not a CIDR"], plan.Skipped);
    }

    [Fact]
    public void For_ManyNodes_IsOrderedByNodeName()
    {
        var nodes = Nodes.Addressing(
            Nodes.Make("node-c", ["10.244.3.0/24"], "192.168.5.13"),
            Nodes.Make("node-a", ["10.244.1.0/24"], "192.168.5.11"),
            Nodes.Make("node-b", ["10.244.2.0/24"], "192.168.5.12"));

        var plan = RoutePlan.For("node-a", nodes.Items);

        Assert.Equal(["node-b", "node-c"], plan.Routes.Select(r => r.Node));
        Assert.Equal(IPAddress.Parse("192.168.5.13"), plan.Routes[1].Via);
    }
}
