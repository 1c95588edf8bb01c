using System.Net.Sockets;
using Sluice.Capture.Iptables;
using Sluice.Capture.Policy;
using Sluice.Capture.Rules;

namespace Sluice.Capture.Tests;

public sealed class CompilerTests
{
    private const AddressFamily V4 = AddressFamily.InterNetwork;
    private const AddressFamily V6 = AddressFamily.InterNetworkV6;

    [Fact]
    public void Compile_Msm_CapturesOnlyOutboundRtspWithTheStubExempt()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Msm);

        Assert.Equal(["nat OUTPUT", "nat REDIRECT"], Names(rules));
        Assert.Equal(
        [
            "-s 127.0.0.6/32 -o lo -j RETURN",
            "-o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-m owner --uid-owner 1337 -j RETURN",
            "-d 127.0.0.0/8 -j RETURN",
            "-p tcp -m tcp --dport 554 -j SLUICE_REDIRECT",
        ],
            Text(rules, CaptureTable.Nat, "OUTPUT", V4));
        Assert.Equal(["-p tcp -j REDIRECT --to-ports 8554"], Text(rules, CaptureTable.Nat, "REDIRECT", V4));
        Assert.Equal(["-p tcp -j REDIRECT --to-ports 8554"], Text(rules, CaptureTable.Nat, "REDIRECT", V6));
        Assert.Contains("-d ::1/128 -j RETURN", Text(rules, CaptureTable.Nat, "OUTPUT", V6));
        Assert.Null(rules.Routing);
    }

    [Fact]
    public void Compile_IstioRedirect_UsesNatOnlyAndSendsProxyCallsToPodThroughInbound()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Istio);

        Assert.Equal(["nat PREROUTING", "nat OUTPUT", "nat INBOUND", "nat IN_REDIRECT", "nat REDIRECT"], Names(rules));
        Assert.Equal(["-p tcp -j SLUICE_INBOUND"], Text(rules, CaptureTable.Nat, "PREROUTING", V4));
        Assert.Equal(
        [
            "-p tcp -m tcp --dport 15020:15021 -j RETURN",
            "-p tcp -m tcp --dport 15090 -j RETURN",
            "-p tcp -j SLUICE_IN_REDIRECT",
        ],
            Text(rules, CaptureTable.Nat, "INBOUND", V4));
        Assert.Contains("! -d 127.0.0.0/8 -o lo -p tcp -m owner --uid-owner 1337 -j SLUICE_INBOUND", Text(rules, CaptureTable.Nat, "OUTPUT", V4));
        Assert.Contains("! -d ::1/128 -o lo -p tcp -m owner --uid-owner 1337 -j SLUICE_INBOUND", Text(rules, CaptureTable.Nat, "OUTPUT", V6));
        Assert.Null(rules.Routing);
    }

    [Fact]
    public void Compile_ProxyUidAndGid_OnlyTheFirstIdentityGetsLoopbackRules()
    {
        var output = Text(CaptureCompiler.Compile(CapturePresets.Istio), CaptureTable.Nat, "OUTPUT", V4);

        Assert.Equal(
        [
            "-s 127.0.0.6/32 -o lo -j RETURN",
            "! -d 127.0.0.0/8 -o lo -p tcp -m owner --uid-owner 1337 -j SLUICE_INBOUND",
            "-o lo -m owner ! --uid-owner 1337 -j RETURN",
            "-m owner --uid-owner 1337 -j RETURN",
            "-m owner --gid-owner 1337 -j RETURN",
            "-d 127.0.0.0/8 -j RETURN",
            "-p tcp -j SLUICE_REDIRECT",
        ],
            output);
    }

    [Fact]
    public void Compile_ProxyKnownByGroupOnly_GetsTheLoopbackRules()
    {
        var output = Text(CaptureCompiler.Compile(CapturePresets.Istio with { ProxyUid = null }), CaptureTable.Nat, "OUTPUT", V4);

        Assert.Contains("! -d 127.0.0.0/8 -o lo -p tcp -m owner --gid-owner 1337 -j SLUICE_INBOUND", output);
        Assert.Contains("-o lo -m owner ! --gid-owner 1337 -j RETURN", output);
    }

    [Fact]
    public void Compile_Tproxy_MovesInboundToMangleAndAddsPolicyRouting()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Istio with { InboundMode = InboundMode.Tproxy, TproxyMark = 0x77, TproxyTable = 177 });

        Assert.Equal(["nat OUTPUT", "nat REDIRECT", "mangle PREROUTING", "mangle OUTPUT", "mangle INBOUND", "mangle DIVERT", "mangle TPROXY"], Names(rules));
        Assert.Equal(new TproxyRouting(0x77, 177), rules.Routing);
        Assert.Equal(["! -d 127.0.0.0/8 -p tcp -j TPROXY --on-port 15006 --on-ip 0.0.0.0 --tproxy-mark 0x77/0xffffffff"], Text(rules, CaptureTable.Mangle, "TPROXY", V4));
        Assert.Equal(["! -d ::1/128 -p tcp -j TPROXY --on-port 15006 --on-ip :: --tproxy-mark 0x77/0xffffffff"], Text(rules, CaptureTable.Mangle, "TPROXY", V6));
        Assert.Equal(["-j MARK --set-xmark 0x77/0xffffffff", "-j ACCEPT"], Text(rules, CaptureTable.Mangle, "DIVERT", V4));
        Assert.DoesNotContain(Text(rules, CaptureTable.Nat, "OUTPUT", V4), r => r.Contains("SLUICE_INBOUND", StringComparison.Ordinal));
        Assert.Contains("! -d 127.0.0.0/8 -o lo -p tcp -m owner --uid-owner 1337 -j MARK --set-xmark 0x53a/0xffffffff", Text(rules, CaptureTable.Mangle, "OUTPUT", V4));
    }

    [Fact]
    public void Compile_ExclusionsAndDns_ExclusionsBeforeProxyExemptionsDnsBeforeLoopbackReturn()
    {
        var policy = CapturePresets.Istio with
        {
            OutboundExcludePorts = PortSet.Parse("22,5000-5010", "-o"),
            OutboundExcludeCidrs = CidrSet.Parse("10.96.0.0/12", "-x"),
            DnsPort = 15053,
            ExcludeInterfaces = ["eth1"],
        };

        var output = Text(CaptureCompiler.Compile(policy), CaptureTable.Nat, "OUTPUT", V4);

        Assert.Equal("-o eth1 -j RETURN", output[0]);
        Assert.Equal(["-p tcp -m tcp --dport 22 -j RETURN", "-p udp -m udp --dport 22 -j RETURN", "-p tcp -m tcp --dport 5000:5010 -j RETURN", "-p udp -m udp --dport 5000:5010 -j RETURN"], output.Skip(1).Take(4));
        var uidReturn = output.IndexOf("-m owner --uid-owner 1337 -j RETURN");
        var dns = output.IndexOf("-p udp -m udp --dport 53 -j REDIRECT --to-ports 15053");
        var loopback = output.IndexOf("-d 127.0.0.0/8 -j RETURN");
        Assert.True(uidReturn > 4 && dns > uidReturn && loopback > dns, string.Join('\n', output));
        Assert.Equal("-d 10.96.0.0/12 -j RETURN", output[loopback + 1]);
        Assert.Contains("-o lo -p udp -m udp ! --dport 53 -m owner ! --uid-owner 1337 -j RETURN", output);
    }

    [Fact]
    public void Compile_Ipv4Only_TagsEveryEntryRuleAndDropsIpv6Rules()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Istio with { Families = CaptureFamilies.Ipv4 });

        Assert.All(rules.Chains.SelectMany(c => c.Rules), r => Assert.NotEqual(V6, r.Family));
        Assert.All(rules.Chains.Where(c => c.IsHook).SelectMany(c => c.Rules), r => Assert.Equal(V4, r.Family));
    }

    [Fact]
    public void Compile_PolicyCapturingNothing_HasNoChains()
    {
        Assert.Empty(CaptureCompiler.Compile(CapturePresets.Generic).Chains);
    }

    [Fact]
    public void Compile_DropInvalidWithoutTproxy_ManglePreroutingHoldsOnlyTheDrop()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Msm with { DropInvalid = true });

        Assert.Equal(["-m conntrack --ctstate INVALID -j DROP"], Text(rules, CaptureTable.Mangle, "PREROUTING", V4));
    }

    [Fact]
    public void Compile_RerouteInterface_RedirectsIncludedNetworksAndReturnsTheRest()
    {
        var rules = CaptureCompiler.Compile(CapturePresets.Generic with { OutboundCidrs = CidrSet.Parse("10.0.0.0/8", "-i"), RerouteInterfaces = ["vnet0"] });

        Assert.Equal(["-d 10.0.0.0/8 -i vnet0 -p tcp -j SLUICE_REDIRECT", "-i vnet0 -j RETURN"], Text(rules, CaptureTable.Nat, "PREROUTING", V4));
        Assert.Equal(["-i vnet0 -j RETURN"], Text(rules, CaptureTable.Nat, "PREROUTING", V6));
    }

    private static List<string> Names(CaptureRuleSet rules) =>
        rules.Chains.Select(c => $"{(c.Table == CaptureTable.Nat ? "nat" : "mangle")} {c.Name}").ToList();

    private static List<string> Text(CaptureRuleSet rules, CaptureTable table, string chain, AddressFamily family) =>
        rules.Chains.Single(c => c.Table == table && c.Name == chain).Rules.Where(r => r.AppliesTo(family)).Select(r => IptablesRuleText.Rule(r, family)).ToList();
}
