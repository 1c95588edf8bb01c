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

    private readonly Netlink.NetlinkSubscription _subscription;

    private NftChangeSocket(Netlink.NetlinkSubscription subscription, string location)
    {
        _subscription = subscription;
        Location = location;
    }

    public string Location { get; }

    /// <summary>Opens the socket in the calling thread's namespace (call it inside <c>NetNs.Run</c>).</summary>
    public static NftChangeSocket Open(string location) =>
        new(Netlink.NetlinkSubscription.Open(Netlink.NetlinkConstants.NETLINK_NETFILTER, [NFNLGRP_NFTABLES], $"a netfilter notification socket in {location}"), location);

    /// <summary>
    /// Reads every pending notification; returns how many there were. A queue that overflowed
    /// (ENOBUFS: changes were lost) counts as one more.
    /// </summary>
    public int Drain() => _subscription.Drain(static _ => 1);

    /// <summary>Waits until one of <paramref name="sockets"/> is readable or <paramref name="timeout"/> passes; the readable ones' indexes.</summary>
    public static unsafe IReadOnlyList<int> WaitAny(IReadOnlyList<NftChangeSocket> sockets, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        var polls = new Libc.PollFd[sockets.Count];
        for (var i = 0; i < polls.Length; i++)
        {
            polls[i] = new Libc.PollFd { Fd = sockets[i]._subscription.Fd.Number, Events = Libc.POLLIN };
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

    public void Dispose() => _subscription.Dispose();
}
