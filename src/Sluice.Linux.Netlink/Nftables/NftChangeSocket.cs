using Sluice.Linux.Interop;

namespace Sluice.Linux.Nftables;

/// <summary>
/// A netlink socket subscribed to the nf_tables change notifications (NFNLGRP_NFTABLES) of the
/// namespace it was opened in, as <c>nft monitor</c> is: a table, chain or rule added or removed
/// there, by nft or by iptables-nft, makes it readable. Non-blocking; the messages are only
/// counted, never decoded (a change is a reason to look, not a description). After opening it
/// works from any thread.
/// </summary>
public sealed class NftChangeSocket : IDisposable
{
    /// <summary>nfnetlink's multicast group for nf_tables (enum nfnetlink_groups).</summary>
    private const int NFNLGRP_NFTABLES = 7;

    private readonly SafeFd _fd;

    private NftChangeSocket(SafeFd fd, string location)
    {
        _fd = fd;
        Location = location;
    }

    public string Location { get; }

    /// <summary>Opens the socket in the calling thread's namespace (call it inside <c>NetNs.Run</c>).</summary>
    public static unsafe NftChangeSocket Open(string location)
    {
        var raw = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC | Libc.SOCK_NONBLOCK, Netlink.NetlinkConstants.NETLINK_NETFILTER);
        if (raw < 0)
        {
            throw new LinuxException($"opening a netfilter notification socket in {location}", Syscall.LastError);
        }

        var fd = new SafeFd(raw);
        try
        {
            var address = new Libc.SockaddrNl { Family = Libc.AF_NETLINK };
            Syscall.Check(Libc.bind(fd, in address, sizeof(Libc.SockaddrNl)), $"binding a netfilter notification socket in {location}");
            var group = NFNLGRP_NFTABLES;
            Syscall.Check(Libc.setsockopt(fd, Libc.SOL_NETLINK, Netlink.NetlinkConstants.NETLINK_ADD_MEMBERSHIP, &group, sizeof(int)), $"joining the nf_tables notifications in {location}");
            return new NftChangeSocket(fd, location);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads every pending notification; returns how many there were. A queue that overflowed
    /// (ENOBUFS: changes were lost) counts as one more.
    /// </summary>
    public unsafe int Drain()
    {
        var count = 0;
        var buffer = stackalloc byte[8192];
        while (true)
        {
            var read = Libc.recv(_fd, buffer, 8192, Libc.MSG_DONTWAIT);
            if (read >= 0)
            {
                count++;
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

    /// <summary>Waits until one of <paramref name="sockets"/> is readable or <paramref name="timeout"/> passes; the readable ones' indexes.</summary>
    public static unsafe IReadOnlyList<int> WaitAny(IReadOnlyList<NftChangeSocket> sockets, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        var polls = new Libc.PollFd[sockets.Count];
        for (var i = 0; i < polls.Length; i++)
        {
            polls[i] = new Libc.PollFd { Fd = sockets[i]._fd.Number, Events = Libc.POLLIN };
        }

        var milliseconds = (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue);
        int ready;
        fixed (Libc.PollFd* first = polls)
        {
            var pointer = first;
            ready = Syscall.Retry(() => Libc.poll(pointer, (nuint)polls.Length, milliseconds));
        }

        Syscall.Check(ready, "waiting for nf_tables notifications");
        var readable = new List<int>();
        for (var i = 0; i < polls.Length && readable.Count < ready; i++)
        {
            if (polls[i].Revents != 0)
            {
                readable.Add(i);
            }
        }

        return readable;
    }

    public void Dispose() => _fd.Dispose();
}
