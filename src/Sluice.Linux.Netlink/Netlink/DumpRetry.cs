namespace Sluice.Linux.Netlink;

/// <summary>
/// The retry loop of a dump, apart from the socket so that it can be tested without the kernel:
/// every attempt collects into a list of its own, and only the list of the last attempt (the
/// first one the kernel did not mark interrupted) is returned, so a retry never leaves the
/// messages of an earlier, partial attempt behind.
/// </summary>
internal static class DumpRetry
{
    public const int Attempts = 10;

    /// <summary>
    /// Runs <paramref name="attempt"/> (which sends the request, hands each reply message to the
    /// handler it is given and returns whether the kernel marked the dump interrupted) until an
    /// attempt is not interrupted, or <see cref="Attempts"/> were; returns what that attempt collected.
    /// </summary>
    public static IReadOnlyList<T> Collect<T>(Func<NetlinkMessageHandler, bool> attempt, NetlinkDumpCollector<T> collect)
    {
        for (var number = 1; ; number++)
        {
            var items = new List<T>();
            var interrupted = attempt((in NetlinkMessage message) => collect(message, items));
            if (!interrupted || number == Attempts)
            {
                return items;
            }
        }
    }
}
