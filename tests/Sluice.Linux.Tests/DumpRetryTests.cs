using Sluice.Linux.Netlink;

namespace Sluice.Linux.Tests;

/// <summary>The dump retry loop driven by a fake kernel: what an interrupted attempt collected is dropped.</summary>
public sealed class DumpRetryTests
{
    [Fact]
    public void Collect_WhenFirstAttemptInterrupted_ReturnsOnlyTheRetryWithoutDuplicates()
    {
        // The first attempt is cut short (two links, then NLM_F_DUMP_INTR); the retry sees all three.
        var attempts = new[] { (Links: new byte[] { 1, 2 }, Interrupted: true), (Links: new byte[] { 1, 2, 3 }, Interrupted: false) };
        var made = 0;

        var links = DumpRetry.Collect<byte>(handler => Answer(handler, attempts[made++]), CollectIndex);

        Assert.Equal(2, made);
        Assert.Equal(new byte[] { 1, 2, 3 }, links);
    }

    [Fact]
    public void Collect_WhenNotInterrupted_RunsOnce()
    {
        var made = 0;

        var links = DumpRetry.Collect<byte>(
            handler =>
            {
                made++;
                return Answer(handler, ([7, 8], false));
            },
            CollectIndex);

        Assert.Equal(1, made);
        Assert.Equal(new byte[] { 7, 8 }, links);
    }

    [Fact]
    public void Collect_WhenEveryAttemptInterrupted_StopsAtTheLimitWithTheLastAttemptOnly()
    {
        var made = 0;

        var links = DumpRetry.Collect<byte>(handler => Answer(handler, ([(byte)++made, 100], true)), CollectIndex);

        Assert.Equal(DumpRetry.Attempts, made);
        Assert.Equal(new byte[] { DumpRetry.Attempts, 100 }, links);
    }

    /// <summary>Hands the attempt's links (a one-byte payload: the index) to the dump as RTM_NEWLINK parts; returns its interrupted flag.</summary>
    private static bool Answer(NetlinkMessageHandler handler, (byte[] Links, bool Interrupted) attempt)
    {
        foreach (var link in attempt.Links)
        {
            handler(new NetlinkMessage(16, NetlinkConstants.NLM_F_MULTI, 1, [link]));
        }

        return attempt.Interrupted;
    }

    private static void CollectIndex(in NetlinkMessage message, ICollection<byte> items) => items.Add(message.Payload[0]);
}
