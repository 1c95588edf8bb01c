namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// A netlink socket subscribed to the link notifications of the namespace it was opened in
/// (RTNLGRP_LINK, as <c>ip monitor link</c>): a link added, removed, or set up or down makes it
/// readable. The messages are only counted, never decoded: a notification is a reason to read the
/// link again. Non-blocking.
/// </summary>
public sealed class LinkChangeSocket : IDisposable
{
    private const int RTNLGRP_LINK = 1;

    private readonly Netlink.NetlinkSubscription _subscription;

    private LinkChangeSocket(Netlink.NetlinkSubscription subscription) => _subscription = subscription;

    /// <summary>Opens the socket in the calling thread's namespace.</summary>
    public static LinkChangeSocket Open() =>
        new(Netlink.NetlinkSubscription.Open(Netlink.NetlinkConstants.NETLINK_ROUTE, [RTNLGRP_LINK], "a link notification socket"));

    /// <summary>Waits until a notification is pending or <paramref name="timeout"/> passes, then reads all pending; whether there was any.</summary>
    public bool Wait(TimeSpan timeout) => _subscription.WaitReadable(timeout) && _subscription.Drain(static _ => 1) > 0;

    public void Dispose() => _subscription.Dispose();
}
