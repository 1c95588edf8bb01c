using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class NamespaceTests
{
    [RootFact]
    public void Run_ExecutesInsideTheNamespaceAndLeavesTheCallerWhereItWas()
    {
        using var test = TestNetns.Create("run");
        using var ns = test.Open();
        var before = NetNs.CurrentIdentity();
        var inside = ns.Run(NetNs.CurrentIdentity);
        Assert.Equal(ns.Identity(), inside);
        Assert.NotEqual(before, inside);
        Assert.Equal(before, NetNs.CurrentIdentity());
    }

    [RootFact]
    public void Run_WhenTheActionThrows_RethrowsAndStillLeavesTheCallerWhereItWas()
    {
        using var test = TestNetns.Create("throw");
        using var ns = test.Open();
        var before = NetNs.CurrentIdentity();
        var error = Assert.Throws<InvalidOperationException>(() => ns.Run<int>(() => throw new InvalidOperationException("inside")));
        Assert.Equal("inside", error.Message);
        Assert.Equal(before, NetNs.CurrentIdentity());
    }

    [RootFact]
    public void Run_FromManyThreadsAtOnceAndNested_AlwaysRunsInsideTheNamespace()
    {
        using var test = TestNetns.Create("many");
        using var ns = test.Open();
        var expected = ns.Identity();
        var seen = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            seen.Add(ns.Run(NetNs.CurrentIdentity));
            seen.Add(ns.Run(() => ns.Run(NetNs.CurrentIdentity)));
        });

        Assert.Equal(400, seen.Count);
        Assert.All(seen, identity => Assert.Equal(expected, identity));
    }

    [RootFact]
    public void Run_AfterAFailedStep_KeepsWorkingInsideTheNamespace()
    {
        using var test = TestNetns.Create("again");
        using var ns = test.Open();
        Assert.Throws<InvalidOperationException>(() => ns.Run<int>(() => throw new InvalidOperationException("first")));
        Assert.Equal(ns.Identity(), ns.Run(NetNs.CurrentIdentity));
    }

    [RootFact]
    public void OpenIn_GivesASocketThatSeesOnlyThatNamespace()
    {
        using var test = TestNetns.Create("sock");
        using var ns = test.Open();
        using var rtnl = Rtnl.OpenIn(ns);
        Assert.Equal(["lo"], rtnl.ListLinks().Select(l => l.Name));
        rtnl.CreateBridge("only-here");
        Assert.Contains("only-here", test.Exec("ip", "link", "show"), StringComparison.Ordinal);
        using var host = Rtnl.Open();
        Assert.Null(host.FindLink("only-here"));
    }

    [RootFact]
    public void Open_AMissingPath_FailsWithEnoentNamingIt()
    {
        var error = Assert.Throws<LinuxException>(() => NetNs.Open("/var/run/netns/does-not-exist"));
        Assert.Equal(Errno.ENOENT, error.ErrorNumber);
        Assert.Equal("opening netns /var/run/netns/does-not-exist: No such file or directory (ENOENT)", error.Message);
    }

    [RootFact]
    public void Open_AProcPath_Works()
    {
        using var ns = NetNs.Open("/proc/self/ns/net");
        Assert.Equal(NetNs.CurrentIdentity(), ns.Identity());
    }

    [Theory]
    [InlineData("file", "a regular file")]
    [InlineData("fifo", "a FIFO")]
    [InlineData("directory", "a directory")]
    [InlineData("link-to-file", "a regular file")]
    [InlineData("/dev/null", "a character device")]
    [InlineData("/proc/self/ns/mnt", "a mount namespace")]
    [InlineData("/proc/self/ns/uts", "a UTS namespace")]
    public async Task Open_SomethingThatIsNotANetworkNamespace_IsRefusedWithoutBlocking(string what, string kind)
    {
        using var dir = new TempDirectory();
        var path = what.StartsWith('/') ? what : dir.Combine(what);
        switch (what)
        {
            case "file":
                File.WriteAllText(path, "");
                break;
            case "fifo":
                Assert.Equal(0, ProcessRunner.Run("mkfifo", new Dictionary<string, string>(), null, [path], inheritEnvironment: true).ExitCode);
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            case "link-to-file":
                File.WriteAllText(dir.Combine("target"), "");
                File.CreateSymbolicLink(path, dir.Combine("target"));
                break;
        }

        // A FIFO opened for reading without a writer blocks forever: the open must not wait.
        var open = Task.Run(() => Assert.Throws<NotANetworkNamespaceException>(() => NetNs.Open(path)), TestContext.Current.CancellationToken);
        var error = await open.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(kind, error.Kind);
        Assert.Equal(Errno.EINVAL, error.ErrorNumber);
        Assert.Contains($"it is {kind}, not a network namespace", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ALinkToANetworkNamespace_Works()
    {
        using var dir = new TempDirectory();
        File.CreateSymbolicLink(dir.Combine("ns"), "/proc/self/ns/net");
        using var ns = NetNs.Open(dir.Combine("ns"));
        Assert.Equal(NetNs.CurrentIdentity(), ns.Identity());
    }

    [RootFact]
    public void NamedNamespace_CreateTwiceIsEexist_DeleteRemovesIt_DeleteAgainIsEnoent()
    {
        var name = $"{TestNetns.Prefix}named-{Environment.ProcessId}";
        try
        {
            var path = NamedNetNs.Create(name);
            Assert.True(File.Exists(path));
            Assert.Contains(name, ProcessRunner.Check("ip", "netns", "list"), StringComparison.Ordinal);
            Assert.Equal(Errno.EEXIST, Assert.Throws<LinuxException>(() => NamedNetNs.Create(name)).ErrorNumber);
            NamedNetNs.Delete(name);
            Assert.False(File.Exists(path));
            Assert.Equal(Errno.ENOENT, Assert.Throws<LinuxException>(() => NamedNetNs.Delete(name)).ErrorNumber);
        }
        finally
        {
            if (NamedNetNs.Exists(name))
            {
                NamedNetNs.Delete(name);
            }
        }
    }
}
