using System.Net;
using Sluice.Agent.Network;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Tests.Network;

public sealed class UnderlayLinkTests
{
    private static readonly Link[] Links = [Link(1, "lo", 65536, LinkFlags.Loopback | LinkFlags.Up), Link(2, "eth0", 1500), Link(3, "eth1", 1400)];

    private static readonly AddressInfo[] Addresses =
    [
        Address(1, "127.0.0.1"), Address(1, "10.0.0.9"), Address(2, "192.168.1.5"), Address(3, "10.0.0.2"), Address(3, "fd00::2"),
    ];

    private static Link Link(int index, string name, int mtu, LinkFlags flags = LinkFlags.Up) =>
        new(index, name, null, mtu, null, flags, OperState.Up, 0, 0, 0, null, null);

    private static AddressInfo Address(int index, string ip) => new(index, IPAddress.Parse(ip), 24, Scope.Universe, AddressFlags.Permanent, null);

    [Fact]
    public void Match_InternalIpOnALink_GivesThatLinkAndItsMtu()
    {
        var found = UnderlayLink.Match([IPAddress.Parse("10.0.0.2"), IPAddress.Parse("fd00::2")], Addresses, Links);

        Assert.Equal([new UnderlayLink(IPAddress.Parse("10.0.0.2"), "eth1", 1400), new UnderlayLink(IPAddress.Parse("fd00::2"), "eth1", 1400)], found);
    }

    [Fact]
    public void Match_LinkListedTwiceByARetriedDump_GivesThatLinkOnce()
    {
        // Found by the capture chaos test: the agent ended with a duplicate-key exception.
        var found = UnderlayLink.Match([IPAddress.Parse("10.0.0.2")], Addresses, [.. Links, Link(3, "eth1", 1400), Link(2, "eth0", 1500)]);

        Assert.Equal([new UnderlayLink(IPAddress.Parse("10.0.0.2"), "eth1", 1400)], found);
    }

    [Fact]
    public void Match_InternalIpOnNoLinkOrOnlyOnLoopback_GivesNoLink()
    {
        var found = UnderlayLink.Match([IPAddress.Parse("203.0.113.7"), IPAddress.Parse("10.0.0.9")], Addresses, Links);

        Assert.All(found, u => Assert.Null(u.LinkName));
    }
}
