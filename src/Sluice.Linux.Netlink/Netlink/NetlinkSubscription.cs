using Sluice.Linux.Interop;

namespace Sluice.Linux.Netlink;

/// <summary>Counts what matters in one notification datagram.</summary>
internal delegate int DatagramCounter(ReadOnlySpan<byte> datagram);

/// <summary>
/// A non-blocking netlink socket of one protocol joined to multicast groups, in the namespace of
/// the thread that opened it: what the change sockets (nf_tables, routes) share. Notifications are
/// drained, each datagram counted by the caller's rule; a queue that overflowed (ENOBUFS:
/// notifications were lost) counts as one.
/// </summary>
internal sealed class NetlinkSubscription : IDisposable
{
    private const int BufferSize = 16384;

    private NetlinkSubscription(SafeFd fd) => Fd = fd;

    public SafeFd Fd { get; }

    public static unsafe NetlinkSubscription Open(int protocol, ReadOnlySpan<int> groups, string what)
    {
        var raw = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, protocol);
        if (raw < 0)
        {
            throw new LinuxException($"opening {what}", Syscall.LastError);
        }

        var fd = new SafeFd(raw);
        try
        {
            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            Syscall.Check(Libc.bind(fd, in address, sizeof(Libc.SockaddrNl)), $"binding {what}");
            foreach (var group in groups)
            {
                var value = group;
                Syscall.Check(Libc.setsockopt(fd, Libc.SOL_NETLINK, NetlinkConstants.NETLINK_ADD_MEMBERSHIP, &value, sizeof(int)), $"joining the notifications of {what}");
            }

            return new NetlinkSubscription(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Reads every pending datagram; returns the sum of <paramref name="count"/> over them, plus one for an overflow.</summary>
    public unsafe int Drain(DatagramCounter count)
    {
        var total = 0;
        var buffer = stackalloc byte[BufferSize];
        while (true)
        {
            var read = Libc.recv(Fd, buffer, BufferSize, Libc.MSG_DONTWAIT);
            if (read >= 0)
            {
                total += count(new ReadOnlySpan<byte>(buffer, (int)read));
                continue;
            }

            var errno = Syscall.LastError;
            if (errno == Errno.ENOBUFS)
            {
                total++;
            }
            else if (errno != Errno.EINTR)
            {
                return total;
            }
        }
    }

    /// <summary>Waits until a notification is pending or <paramref name="timeout"/> passes; whether one is.</summary>
    public unsafe bool WaitReadable(TimeSpan timeout)
    {
        var poll = stackalloc Libc.PollFd[1];
        poll[0] = new Libc.PollFd { Fd = Fd.Number, Events = Libc.POLLIN };
        var start = System.Diagnostics.Stopwatch.GetTimestamp();

        // A signal's EINTR retries with what is left of the timeout, not all of it again.
        var ready = Syscall.Retry(() => Libc.poll(poll, 1, (int)Math.Clamp(Math.Ceiling((timeout - System.Diagnostics.Stopwatch.GetElapsedTime(start)).TotalMilliseconds), 0, int.MaxValue)));
        Syscall.Check(ready, "waiting for netlink notifications");
        return ready > 0;
    }

    public void Dispose() => Fd.Dispose();
}
