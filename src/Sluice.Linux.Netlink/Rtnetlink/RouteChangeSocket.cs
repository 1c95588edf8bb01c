using System.Buffers.Binary;
using Sluice.Linux.Interop;
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

    private readonly SafeFd _fd;
    private readonly byte _protocol;

    private RouteChangeSocket(SafeFd fd, byte protocol)
    {
        _fd = fd;
        _protocol = protocol;
    }

    /// <summary>Opens the socket in the calling thread's namespace, for routes of <paramref name="protocol"/>.</summary>
    public static unsafe RouteChangeSocket Open(byte protocol)
    {
        var raw = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, Netlink.NetlinkConstants.NETLINK_ROUTE);
        if (raw < 0)
        {
            throw new LinuxException("opening a route notification socket", Syscall.LastError);
        }

        var fd = new SafeFd(raw);
        try
        {
            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            Syscall.Check(Libc.bind(fd, in address, sizeof(Libc.SockaddrNl)), "binding a route notification socket");
            foreach (var group in new[] { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE })
            {
                var value = group;
                Syscall.Check(Libc.setsockopt(fd, Libc.SOL_NETLINK, Netlink.NetlinkConstants.NETLINK_ADD_MEMBERSHIP, &value, sizeof(int)), "joining the route notifications");
            }

            return new RouteChangeSocket(fd, protocol);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads every pending notification; returns how many said a route of the protocol was
    /// deleted. A queue that overflowed (ENOBUFS: notifications were lost) counts as one.
    /// </summary>
    public unsafe int DrainDeleted()
    {
        var count = 0;
        const int size = 16384;
        var buffer = stackalloc byte[size];
        while (true)
        {
            var read = Libc.recv(_fd, buffer, size, Libc.MSG_DONTWAIT);
            if (read >= 0)
            {
                count += CountDeleted(new ReadOnlySpan<byte>(buffer, (int)read), _protocol);
                continue;
            }

            var errno = Syscall.LastError;
            if (errno == Errno.ENOBUFS)
            {
                count++;
            }
            else if (errno != Errno.EINTR)
            {
                return count;
            }
        }
    }

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

    public void Dispose() => _fd.Dispose();
}
