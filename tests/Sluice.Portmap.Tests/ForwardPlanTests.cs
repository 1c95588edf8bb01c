using System.Net;
using Sluice.Cni;
using Sluice.Cni.Results;

namespace Sluice.Portmap.Tests;

public sealed class ForwardPlanTests
{
    private static CniResult Result(params (string Address, int? Interface)[] ips) => new()
    {
        Interfaces = [new CniInterface { Name = "sluice0" }, new CniInterface { Name = "veth1" }, new CniInterface { Name = "eth0", Sandbox = "/run/netns/p" }],
        Ips = ips.Select(ip => new CniIpConfig { Address = ip.Address, Interface = ip.Interface }).ToList(),
    };

    [Fact]
    public void PodAddresses_TakeTheFirstOfEachFamilyOnTheSandboxInterface()
    {
        var pod = PodAddresses.From(Result(("10.0.9.1/24", 0), ("10.44.0.5/24", 2), ("10.44.0.6/24", 2), ("fd44::5/64", null)), "eth0");

        Assert.Equal("10.44.0.5/24 fd44::5/64", string.Join(' ', pod.All));
    }

    [Fact]
    public void For_DualStackPod_ForwardsEachMappingToEachFamilyItAppliesTo()
    {
        var settings = PortmapSettingsTests.Settings("", """[{"hostPort":8080,"containerPort":80},{"hostPort":53,"containerPort":5353,"protocol":"udp","hostIP":"0.0.0.0"}]""");

        var plan = ForwardPlan.For(settings, PodAddresses.From(Result(("10.44.0.5/24", 2), ("fd44::5/64", 2)), "eth0"));

        Assert.Equal(
            ["tcp 8080 -> 10.44.0.5:80", "tcp 8080 -> [fd44::5]:80", "udp 53 -> 10.44.0.5:5353"],
            plan.Forwards.Select(f => f.Describe()));
    }

    [Fact]
    public void For_Snat_MasqueradesThePodsOwnLinkAndIpv4Loopback()
    {
        var settings = PortmapSettingsTests.Settings("", """[{"hostPort":8080,"containerPort":80}]""");

        var plan = ForwardPlan.For(settings, PodAddresses.From(Result(("10.44.0.5/24", 2), ("fd44::5/64", 2)), "eth0"));

        Assert.Equal(["10.44.0.0/24", "127.0.0.0/8", "fd44::/64"], plan.Masquerades.Select(m => m.Source!.Value.ToString()));
    }

    [Theory]
    [InlineData(",\"snat\":false", "")]
    [InlineData(",\"masqAll\":true", "any")]
    public void For_SnatOffOrMasqAll_ChangesTheMasquerades(string extra, string expected)
    {
        var settings = PortmapSettingsTests.Settings(extra, """[{"hostPort":8080,"containerPort":80}]""");

        var plan = ForwardPlan.For(settings, PodAddresses.From(Result(("10.44.0.5/24", 2)), "eth0"));

        Assert.Equal(expected, string.Join(' ', plan.Masquerades.Select(m => m.Source?.ToString() ?? "any")));
    }

    [Fact]
    public void For_HostIpOfAFamilyThePodLacks_IsError7NamingIt()
    {
        var settings = PortmapSettingsTests.Settings("", """[{"hostPort":8080,"containerPort":80},{"hostPort":8443,"containerPort":443,"hostIP":"2001:db8::1"}]""");

        var error = Assert.Throws<CniException>(() => ForwardPlan.For(settings, PodAddresses.From(Result(("10.44.0.5/24", 2)), "eth0")));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Equal("field 'runtimeConfig.portMappings[1].hostIP' 2001:db8::1 is IPv6 and the pod has no address of that family", error.Message);
    }

    [Fact]
    public void Conflicts_SamePortOfAnotherOwner_NamesThePortAndTheOwner()
    {
        var settings = PortmapSettingsTests.Settings("", """[{"hostPort":8080,"containerPort":80}]""");
        var plan = ForwardPlan.For(settings, PodAddresses.From(Result(("10.44.0.5/24", 2)), "eth0"));
        var other = new PortForward(new MappingOwner("podnet", "ctr-0", "eth0"), MappingProtocol.Tcp, IPAddress.Parse("192.0.2.1"), 8080, IPAddress.Parse("10.44.0.4"), 8000);

        var error = Assert.Throws<CniException>(() => HostPortConflicts.ThrowIfAny([other], plan));

        Assert.Equal(PortmapErrorCode.HostPortInUse, error.Code);
        Assert.Equal("hostPort tcp 8080 (IPv4) is already mapped to container ctr-0 (eth0) of network podnet (tcp 192.0.2.1:8080 -> 10.44.0.4:8000)", error.Message);
        HostPortConflicts.ThrowIfAny([other with { Protocol = MappingProtocol.Udp }, other with { Owner = plan.Owner }, other with { PodAddress = IPAddress.Parse("fd44::4"), HostIp = null }], plan);
    }
}
