using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class AddressTests : IDisposable
{
    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    [RootTheory]
    [InlineData("10.40.0.2", 24, AddressFamily.InterNetwork)]
    [InlineData("fd40::2", 64, AddressFamily.InterNetworkV6)]
    public void AddListDelete_RoundTrips(string text, int prefix, AddressFamily family)
    {
        var (_, pod) = _ns.Veth();
        var address = IPAddress.Parse(text);
        _ns.PodRtnl.AddAddress(pod.Index, address, prefix, AddressFlags.NoDad);
        var listed = Assert.Single(_ns.PodRtnl.ListAddresses(pod.Index, family), a => a.Address.Equals(address));
        Assert.Equal(prefix, listed.PrefixLength);
        Assert.False(listed.Flags.HasFlag(AddressFlags.Tentative));
        if (family == AddressFamily.InterNetworkV6)
        {
            Assert.True(listed.Flags.HasFlag(AddressFlags.NoDad));
        }

        _ns.PodRtnl.DeleteAddress(pod.Index, address, prefix);
        Assert.DoesNotContain(_ns.PodRtnl.ListAddresses(pod.Index, family), a => a.Address.Equals(address));
    }

    [RootFact]
    public void Ipv4Address_GetsItsBroadcastAddress()
    {
        var (_, pod) = _ns.Veth();
        _ns.PodRtnl.AddAddress(pod.Index, IPAddress.Parse("10.40.0.2"), 24);
        Assert.Contains("brd 10.40.0.255", _ns.PodNs.Exec("ip", "-4", "addr", "show", "eth0"), StringComparison.Ordinal);
    }

    [RootFact]
    public void Ipv6AddressWithoutNodad_IsTentativeFirst()
    {
        var (_, pod) = _ns.Veth();
        _ns.PodRtnl.AddAddress(pod.Index, IPAddress.Parse("fd40::9"), 64);
        var listed = Assert.Single(_ns.PodRtnl.ListAddresses(pod.Index, AddressFamily.InterNetworkV6), a => a.Address.Equals(IPAddress.Parse("fd40::9")));
        Assert.True(listed.Flags.HasFlag(AddressFlags.Tentative));
    }

    [RootFact]
    public void AddAddress_WithHostScope_KeepsTheScope()
    {
        var lo = _ns.PodRtnl.GetLink("lo");
        _ns.PodRtnl.AddAddress(lo.Index, IPAddress.Parse("127.0.0.6"), 8, scope: Scope.Host);
        Assert.Equal(Scope.Host, _ns.PodRtnl.ListAddresses(lo.Index).Single(a => a.Address.Equals(IPAddress.Parse("127.0.0.6"))).Scope);
    }

    [RootFact]
    public void AddAddress_Twice_FailsWithEexist()
    {
        var (_, pod) = _ns.Veth(podAddress: "10.40.0.2/24");
        var error = Assert.Throws<LinuxException>(() => _ns.PodRtnl.AddAddress(pod.Index, IPAddress.Parse("10.40.0.2"), 24));
        Assert.Equal(Errno.EEXIST, error.ErrorNumber);
        Assert.Contains("adding address 10.40.0.2/24", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void AddAddress_OnAMissingLink_FailsWithEnodev()
    {
        var error = Assert.Throws<LinuxException>(() => _ns.PodRtnl.AddAddress(9999, IPAddress.Parse("10.40.0.2"), 24));
        Assert.Equal(Errno.ENODEV, error.ErrorNumber);
    }
}
