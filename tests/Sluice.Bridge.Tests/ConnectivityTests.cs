using System.Text.Json.Nodes;

namespace Sluice.Bridge.Tests;

/// <summary>Traffic proves the plumbing: pods reach each other, the gateway, the node, and (masqueraded) the outside.</summary>
public sealed class ConnectivityTests : IDisposable
{
    private readonly Testbed _bed = new();

    public void Dispose() => _bed.Dispose();

    private static string Address(JsonObject result, int index) => ((string)result["ips"]![index]!["address"]!).Split('/')[0];

    private static void Reaches(TestNetns from, string address)
    {
        var ping = from.TryExec("ping", "-c", "1", "-W", "2", address);
        Assert.True(ping.ExitCode == 0, $"{from.Name} cannot reach {address}: {ping}");
    }

    [RootFact]
    public void TwoPods_ReachEachOtherTheGatewayAndTheNode_OverIpv4AndIpv6()
    {
        var p1 = _bed.NewPod("p1");
        var p2 = _bed.NewPod("p2");
        var r1 = _bed.Add(p1, "ctr-1");
        var r2 = _bed.Add(p2, "ctr-2");
        _bed.Outside();

        Reaches(p1, Address(r2, 0));
        Reaches(p2, Address(r1, 0));
        Reaches(p1, Address(r2, 1));
        Reaches(p1, "10.44.0.1");
        Reaches(p1, "fd44::1");
        Reaches(p1, Testbed.NodeUplinkV4);
        Reaches(_bed.Node, Address(r1, 0));
    }

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void Pod_ReachesTheOutside_OnlyThroughMasquerade(string backend)
    {
        var outside = _bed.Outside();
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1", _bed.Config($",\"ipMasqBackend\":\"{backend}\""));
        using var server = new PeerAddressServer(outside, 7001);

        var seen = PeerAddressServer.Ask(pod, Testbed.OutsideV4, server.Port);
        Assert.True(seen.ExitCode == 0, seen.ToString());
        Assert.Equal(Testbed.NodeUplinkV4, seen.Stdout.Trim());
        Reaches(pod, Testbed.OutsideV6);
    }

    [RootFact]
    public void WithoutIpMasq_TheOutsideCannotAnswer()
    {
        var outside = _bed.Outside();
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1", _bed.Config().Replace("\"ipMasq\":true", "\"ipMasq\":false", StringComparison.Ordinal));
        using var server = new PeerAddressServer(outside, 7002);
        Assert.NotEqual(0, PeerAddressServer.Ask(pod, Testbed.OutsideV4, server.Port).ExitCode);
    }

    [RootTheory]
    [InlineData("nft")]
    [InlineData("legacy")]
    public void ForwardDropPolicy_DoesNotBlockThePodNetwork(string variant)
    {
        // What minicni's users had to fix by hand: a node whose iptables FORWARD policy is DROP.
        _bed.Node.Exec($"iptables-{variant}", "-P", "FORWARD", "DROP");
        _bed.Node.Exec($"ip6tables-{variant}", "-P", "FORWARD", "DROP");
        var outside = _bed.Outside();
        var pod = _bed.NewPod();
        _bed.Add(pod, "ctr-1");
        using var server = new PeerAddressServer(outside, 7003);
        var seen = PeerAddressServer.Ask(pod, Testbed.OutsideV4, server.Port);
        Assert.True(seen.ExitCode == 0, seen + "\n" + _bed.Firewall());
        Assert.Contains("-A FORWARD -m comment --comment \"sluice pod networks\" -j SLUICE-FORWARD", _bed.Firewall(), StringComparison.Ordinal);
    }

    [RootFact]
    public void HairpinAndMtu_AreApplied()
    {
        var pod = _bed.NewPod();
        var result = _bed.Add(pod, "ctr-1", _bed.Config(",\"hairpinMode\":true,\"mtu\":1400,\"promiscMode\":true"));
        var hostVeth = (string)result["interfaces"]![1]!["name"]!;
        Assert.Contains("hairpin on", _bed.Node.Exec("ip", "-d", "link", "show", hostVeth), StringComparison.Ordinal);
        Assert.Contains("mtu 1400", pod.Exec("ip", "link", "show", "eth0"), StringComparison.Ordinal);
        Assert.Contains("PROMISC", _bed.Node.Exec("ip", "link", "show", "sluice0"), StringComparison.Ordinal);
    }
}
