namespace Sluice.IpamPlugin.Tests;

/// <summary>The crash points read from a trace are the run's calls, not the kernel's restarts of them.</summary>
public sealed class CrashPointsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void FromTrace_CountsEachCallOfEachThread_AndTakesTheMostOneThreadMade()
    {
        var points = PointsOf(
            """
            100 openat(AT_FDCWD, "/a", O_RDONLY|O_CLOEXEC) = 3
            100 write(3, "1\n", 2)                = 2
            101 write(4, "x", 1)                  = 1
            101 write(4, "y", 1)                  = 1
            100 exit_group(0)                     = ?
            101 +++ exited with 0 +++
            """);

        Assert.Equal(["exit_group #1", "openat #1", "write #1", "write #2"], points);
    }

    [Fact]
    public void FromTrace_ACallTheKernelRestarts_IsOneCall()
    {
        // As traced while another task held the rtnl lock: an IPv6 sysctl write is entered again
        // until the lock is free, and only the last entry does the write.
        var points = PointsOf(
            """
            100 write(7, "1\n", 2)                = ? ERESTARTNOINTR (To be restarted)
            100 write(7, "1\n", 2)                = ? ERESTARTNOINTR (To be restarted)
            100 write(7, "1\n", 2)                = 2
            100 write(1, "{}", 2)                 = 2
            100 exit_group(0)                     = ?
            """);

        Assert.Equal(["exit_group #1", "write #1", "write #2"], points);
    }

    [Fact]
    public void FromTrace_ARestartReportedOnTheResumedLine_IsTakenBackFromItsThread()
    {
        var points = PointsOf(
            """
            100 sendmsg(5, {msg_name=…}, 0 <unfinished ...>
            101 write(4, "x", 1)                  = 1
            100 <... sendmsg resumed>)            = ? ERESTARTSYS (To be restarted if SA_RESTART is set)
            100 sendmsg(5, {msg_name=…}, 0)       = 20
            101 write(4, "y", 1 <unfinished ...>
            100 exit_group(0)                     = ?
            101 <... write resumed>)              = 1
            """);

        Assert.Equal(["exit_group #1", "sendmsg #1", "write #1", "write #2"], points);
    }

    private List<string> PointsOf(string trace)
    {
        var path = _dir.Combine("trace");
        File.WriteAllText(path, trace);
        return CrashPoints.FromTrace(path).Select(point => $"{point.Syscall} #{point.Call}").ToList();
    }
}
