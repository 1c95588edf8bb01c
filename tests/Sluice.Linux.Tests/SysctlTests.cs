using Sluice.Linux.Interop;

namespace Sluice.Linux.Tests;

public sealed class SysctlTests
{
    [RootFact]
    public void Write_InANamespace_ChangesOnlyThatNamespace()
    {
        using var a = TestNetns.Create("sysa");
        using var b = TestNetns.Create("sysb");
        using var nsA = a.Open();
        using var nsB = b.Open();
        Sysctl.Sysctl.Write(nsA, "net.ipv4.ip_forward", "1");
        Assert.Equal("1", Sysctl.Sysctl.Read(nsA, "net.ipv4.ip_forward"));
        Assert.Equal("0", Sysctl.Sysctl.Read(nsB, "net.ipv4.ip_forward"));
        Assert.Equal("net.ipv4.ip_forward = 1", a.Exec("sysctl", "net.ipv4.ip_forward").Trim());
    }

    [RootFact]
    public void Ensure_ReportsWhetherItChangedAnything()
    {
        using var a = TestNetns.Create("sysc");
        using var ns = a.Open();
        Assert.True(Sysctl.Sysctl.Ensure(ns, "net.ipv6.conf.all.forwarding", "1"));
        Assert.False(Sysctl.Sysctl.Ensure(ns, "net.ipv6.conf.all.forwarding", "1"));
    }

    [RootFact]
    public void PathKeys_HandleInterfaceNamesWithDots()
    {
        using var a = TestNetns.Create("sysd");
        a.Exec("ip", "link", "add", "br.5", "type", "bridge");
        using var ns = a.Open();
        Sysctl.Sysctl.Write(ns, "net/ipv6/conf/br.5/accept_dad", "0");
        Assert.Equal("0", Sysctl.Sysctl.Read(ns, "net/ipv6/conf/br.5/accept_dad"));
    }

    [RootFact]
    public void Write_AMissingKey_FailsWithEnoentNamingIt()
    {
        using var a = TestNetns.Create("syse");
        using var ns = a.Open();
        var error = Assert.Throws<LinuxException>(() => Sysctl.Sysctl.Write(ns, "net.ipv4.conf.nothere0.arp_notify", "1"));
        Assert.Equal(Errno.ENOENT, error.ErrorNumber);
        Assert.Contains("setting sysctl net.ipv4.conf.nothere0.arp_notify=1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathOf_MapsDotsAndKeepsPaths()
    {
        Assert.Equal("/proc/sys/net/ipv4/ip_forward", Sysctl.Sysctl.PathOf("net.ipv4.ip_forward"));
        Assert.Equal("/proc/sys/net/ipv6/conf/eth0.5/accept_dad", Sysctl.Sysctl.PathOf("net/ipv6/conf/eth0.5/accept_dad"));
        Assert.Throws<ArgumentException>(() => Sysctl.Sysctl.PathOf("net/../../etc/passwd"));
    }
}
