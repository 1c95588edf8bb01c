using System.Buffers.Binary;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// A netlink socket subscribed to the route notifications of the namespace it was opened in
/// (RTNLGRP_IPV4_ROUTE and RTNLGRP_IPV6_ROUTE, as <c>ip monitor route</c>), which tells when a
/// route of one protocol was deleted: by hand, by another program, or by the kernel for IPv6. The
/// kernel sends nothing for the IPv4 routes it drops with their link, so this hastens a periodic
/// check, it does not replace one. Non-blocking.
/// </summary>
public sealed class RouteChangeSocket : IDisposable
{
    private const int RTNLGRP_IPV4_ROUTE = 7;
    private const int RTNLGRP_IPV6_ROUTE = 11;
    private const int HeaderLength = 16;

    private readonly Netlink.NetlinkSubscription _subscription;
    private readonly byte _protocol;

    private RouteChangeSocket(Netlink.NetlinkSubscription subscription, byte protocol)
    {
        _subscription = subscription;
        _protocol = protocol;
    }

    /// <summary>Opens the socket in the calling thread's namespace, for routes of <paramref name="protocol"/>.</summary>
    public static RouteChangeSocket Open(byte protocol) =>
        new(Netlink.NetlinkSubscription.Open(Netlink.NetlinkConstants.NETLINK_ROUTE, [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE], "a route notification socket"), protocol);

    /// <summary>
    /// Reads every pending notification; returns how many said a route of the protocol was
    /// deleted. A queue that overflowed (ENOBUFS: notifications were lost) counts as one.
    /// </summary>
    public int DrainDeleted() => _subscription.Drain(datagram => CountDeleted(datagram, _protocol));

    /// <summary>The RTM_DELROUTE messages of <paramref name="protocol"/> in one datagram (rtm_protocol is the rtmsg's sixth byte).</summary>
    internal static int CountDeleted(ReadOnlySpan<byte> datagram, byte protocol)
    {
        var count = 0;
        while (datagram.Length >= HeaderLength)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]);
            if (length < HeaderLength || length > datagram.Length)
            {
                break;
            }

            if (type == RTM_DELROUTE && length >= HeaderLength + 6 && datagram[HeaderLength + 5] == protocol)
            {
                count++;
            }

            datagram = datagram[Math.Min(datagram.Length, Netlink.NetlinkConstants.Align(length))..];
        }

        return count;
    }

    public void Dispose() => _subscription.Dispose();
}
