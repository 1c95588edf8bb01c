using System.Net;
using Sluice.Agent.Network;
using Sluice.Kube.Models;

namespace Sluice.Agent.Tests.Network;

public sealed class NodeAddressingTests
{
    [Fact]
    public void From_DualStackNode_TakesPodCidrsAndInternalIpsOnly()
    {
        var node = Nodes.Make("node-b", ["10.244.2.0/24", "fd00:10:244:2::/64"], "192.168.5.12", "fd00:5::12");
        node.Status.Addresses.Add(new NodeAddress { Type = "ExternalIP", Address = "203.0.113.9" });

        var addressing = NodeAddressing.From(node);

        Assert.Equal([IPNetwork.Parse("10.244.2.0/24"), IPNetwork.Parse("fd00:10:244:2::/64")], addressing.PodCidrs);
        Assert.Equal([IPAddress.Parse("192.168.5.12"), IPAddress.Parse("fd00:5::12")], addressing.InternalIps);
        Assert.Empty(addressing.Problems);
    }

    [Fact]
    public void From_OnlyTheOldSinglePodCidr_UsesIt()
    {
        var node = Nodes.Make("old", [], "192.168.5.13");
        node.Spec.PodCIDR = "10.244.3.0/24";

        Assert.Equal([IPNetwork.Parse("10.244.3.0/24")], NodeAddressing.From(node).PodCidrs);
    }

    [Theory]
    [InlineData("10.244.2.0", "spec.podCIDRs value '10.244.2.0' is not a CIDR")]
    [InlineData("10.244.2.7/24", "spec.podCIDRs value '10.244.2.7/24' is not a CIDR")]
    [InlineData("banana", "spec.podCIDRs value 'banana' is not a CIDR")]
    public void From_MalformedPodCidr_IsAProblemNamingNodeAndValue(string value, string expected)
    {
        var addressing = NodeAddressing.From(Nodes.Make("node-c", [value], "192.168.5.14"));

        Assert.Empty(addressing.PodCidrs);
        Assert.Equal([$"node node-c: {expected}"], addressing.Problems);
    }

    [Fact]
    public void From_MalformedInternalIp_IsAProblem()
    {
        var addressing = NodeAddressing.From(Nodes.Make("node-d", ["10.244.4.0/24"], "300.1.1.1"));

        Assert.Empty(addressing.InternalIps);
        Assert.Equal(["node node-d: InternalIP '300.1.1.1' is not an IP address"], addressing.Problems);
    }
}
