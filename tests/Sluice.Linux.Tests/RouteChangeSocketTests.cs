using System.Buffers.Binary;
using System.Net;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class RouteChangeSocketTests : IDisposable
{
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [Fact]
    public void CountDeleted_CountsOnlyDeletionsOfTheProtocol_InADatagramOfSeveralMessages()
    {
        byte[] datagram = [.. Message(25, 83), .. Message(24, 83), .. Message(25, 4), .. Message(25, 83)];

        Assert.Equal(2, RouteChangeSocket.CountDeleted(datagram, 83));
        Assert.Equal(1, RouteChangeSocket.CountDeleted(datagram, 4));
        Assert.Equal(0, RouteChangeSocket.CountDeleted(datagram.AsSpan(0, 10), 83));
    }

    [RootFact]
    public void DrainDeleted_SeesARouteOfItsProtocolDeleted_AndNotOthersOrAdditions()
    {
        _ns.Veth(hostAddress: "10.94.0.1/24", podAddress: "10.94.0.2/24");
        using var changes = _ns.Node.Run(() => RouteChangeSocket.Open(83));
        var ours = Route.To(IPNetwork.Parse("10.95.1.0/24")) with { Gateway = IPAddress.Parse("10.94.0.2"), Protocol = 83 };
        var theirs = Route.To(IPNetwork.Parse("10.95.2.0/24")) with { Gateway = IPAddress.Parse("10.94.0.2"), Protocol = 4 };
        _ns.NodeRtnl.AddRoute(ours);
        _ns.NodeRtnl.AddRoute(theirs);
        _ns.NodeRtnl.DeleteRoute(theirs);
        Assert.Equal(0, changes.DrainDeleted());

        _ns.NodeRtnl.DeleteRoute(ours);

        Assert.Equal(1, changes.DrainDeleted());
        Assert.Equal(0, changes.DrainDeleted());
    }

    /// <summary>An nlmsghdr (16 bytes) and an rtmsg (12 bytes) of <paramref name="type"/> and <paramref name="protocol"/>.</summary>
    private static byte[] Message(ushort type, byte protocol)
    {
        var message = new byte[28];
        BinaryPrimitives.WriteUInt32LittleEndian(message, 28);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        message[16] = 2;
        message[16 + 5] = protocol;
        return message;
    }
}
