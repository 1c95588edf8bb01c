using System.Net;
using Sluice.Capture.Policy;
using Sluice.Capture.Tests.Lab;
using static Sluice.Capture.Tests.Lab.CaptureLab;

namespace Sluice.Capture.Tests;

/// <summary>
/// The rules do what they promise, for every backend and both families: connections from a real
/// pod namespace land where the policy says (the stand-in proxy reports the destination the
/// client asked for) or go direct.
/// </summary>
public sealed class CaptureBehaviourTests
{
    private const uint Proxy = 1337;

    public static TheoryData<string, string> BackendsAndFamilies => Backends.WithFamilies;

    public static TheoryData<string> AllBackends => Backends.All;

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void IstioCapture_OutboundTcp_ReachesProxyWithDestinationButProxyAndLocalGoDirect(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var (remote, peer, pod, loopback) = (RemoteAddress(f), PeerAddress(f), PodAddress(f), LoopbackAddress(f));
        lab.Apply(CapturePresets.Istio, backend);

        Assert.Equal(Landed("proxy-out", remote, 80), lab.FromPod(remote, 80));
        Assert.Equal(Landed("proxy-out", peer, 8080), lab.FromPod(peer, 8080));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80, uid: Proxy));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80, gid: Proxy));
        Assert.Equal(Landed("app", loopback, 8080), lab.FromPod(loopback, 8080));
        Assert.Equal(Landed("app", pod, 8080), lab.FromPod(pod, 8080));
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void IstioCapture_InboundTcp_ReachesInboundPortExceptOnExcludedPorts(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var pod = PodAddress(f);
        lab.Apply(CapturePresets.Istio, backend);

        Assert.Equal(Landed("proxy-in", pod, 8080), lab.FromPeer(pod, 8080));
        Assert.Equal(Landed("app", pod, 15020), lab.FromPeer(pod, 15020));

        // The proxy calling the pod's own address is inbound traffic (excluded ports stay
        // direct); from the passthrough source it is the proxy delivering to the app.
        Assert.Equal(Landed("proxy-in", pod, 8080), lab.FromPod(pod, 8080, uid: Proxy));
        Assert.Equal(Landed("app", pod, 15020), lab.FromPod(pod, 15020, uid: Proxy));
        Assert.Equal(Landed("app", pod, 8080), lab.FromPod(pod, 8080, uid: Proxy, source: Passthrough(f)));
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void TproxyCapture_InboundTcp_ReachesProxyWithOriginalDestination(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var (remote, pod) = (RemoteAddress(f), PodAddress(f));
        lab.Apply(CapturePresets.Istio with { InboundMode = InboundMode.Tproxy }, backend);

        Assert.Equal(Landed("proxy-in", pod, 8080), lab.FromPeer(pod, 8080));
        Assert.Equal(Landed("proxy-in", pod, 9090), lab.FromPeer(pod, 9090));
        Assert.Equal(Landed("app", pod, 15020), lab.FromPeer(pod, 15020));
        Assert.Equal(Landed("proxy-out", remote, 80), lab.FromPod(remote, 80));

        // The replies to the proxy's own outbound connections come back through PREROUTING: they
        // belong to a known connection, so they reach the proxy and are not TPROXY'd.
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80, uid: Proxy));
        Assert.Equal(Landed("proxy-in", pod, 8080), lab.FromPod(pod, 8080, uid: Proxy));
        Assert.Equal(Landed("app", pod, 8080), lab.FromPod(pod, 8080, uid: Proxy, source: Passthrough(f)));
        Assert.Equal(Landed("app", pod, 8080), lab.FromPod(pod, 8080));
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void CaptureLists_IncludeOrExcludeEachApplied_CaptureExactlyWhatTheyList(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var (remote, peer, pod) = (RemoteAddress(f), PeerAddress(f), PodAddress(f));

        lab.Apply(CapturePresets.Istio with { OutboundExcludeCidrs = Cidrs($"{RemoteV4}/32,{RemoteV6}/128"), OutboundExcludePorts = PortSet.Of(9999) }, backend);
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80));
        Assert.Equal(Landed("proxy-out", peer, 80), lab.FromPod(peer, 80));
        Assert.Equal(Landed("peer", peer, 9999), lab.FromPod(peer, 9999));

        lab.Apply(CapturePresets.Generic with { OutboundCidrs = Cidrs("10.77.0.0/24,fd77::/64") }, backend);
        Assert.Equal(Landed("proxy-out", peer, 80), lab.FromPod(peer, 80));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80));

        lab.Apply(CapturePresets.Generic with { OutboundPorts = PortSet.Of(9999) }, backend);
        Assert.Equal(Landed("proxy-out", remote, 9999), lab.FromPod(remote, 9999));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80));

        lab.Apply(CapturePresets.Generic with { InboundPorts = PortSet.Of(8080) }, backend);
        Assert.Equal(Landed("proxy-in", pod, 8080), lab.FromPeer(pod, 8080));
        Assert.Equal(Landed("app", pod, 9090), lab.FromPeer(pod, 9090));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80));
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void DnsCapture_UdpAndTcpPort53_GoToDnsPortExceptFromTheProxy(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var peer = PeerAddress(f);
        lab.Apply(CapturePresets.Istio with { DnsPort = 15053 }, backend);

        Assert.StartsWith("dns ", lab.UdpFromPod(peer, 53), StringComparison.Ordinal);
        Assert.Equal(Landed("dns", peer, 53), lab.FromPod(peer, 53));
        Assert.StartsWith("peer ", lab.UdpFromPod(peer, 53, uid: Proxy), StringComparison.Ordinal);
        Assert.Equal(Landed("peer", peer, 53), lab.FromPod(peer, 53, uid: Proxy));
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void MsmCapture_OutboundRtsp_GoesToStubAndNothingElseIsCaptured(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var (remote, pod) = (RemoteAddress(f), PodAddress(f));
        lab.Apply(CapturePresets.Msm, backend);

        Assert.Equal(Landed("msm-stub", remote, 554), lab.FromPod(remote, 554));
        Assert.Equal(Landed("peer", remote, 80), lab.FromPod(remote, 80));
        Assert.Equal(Landed("peer", remote, 554), lab.FromPod(remote, 554, uid: Proxy));
        Assert.Equal(Landed("app", pod, 8080), lab.FromPeer(pod, 8080));
        Assert.StartsWith("peer ", lab.UdpFromPod(remote, 5004), StringComparison.Ordinal);
    }

    [RootTheory]
    [MemberData(nameof(BackendsAndFamilies))]
    public void MediaCapture_ListedUdpPorts_GoToMediaPort(string backend, string family)
    {
        using var lab = new CaptureLab();
        var f = Backends.Family(family);
        var remote = RemoteAddress(f);
        lab.Apply(CapturePresets.Msm with { MediaUdpPorts = PortSet.Parse("5004-5005", "ports"), MediaPort = 8050 }, backend);

        Assert.StartsWith("media ", lab.UdpFromPod(remote, 5004), StringComparison.Ordinal);
        Assert.StartsWith("peer ", lab.UdpFromPod(remote, 53), StringComparison.Ordinal);
        Assert.StartsWith("peer ", lab.UdpFromPod(remote, 5004, uid: Proxy), StringComparison.Ordinal);
        Assert.Equal(Landed("msm-stub", remote, 554), lab.FromPod(remote, 554));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Capture_TrafficOnExcludedInterface_IsNotCaptured(string backend)
    {
        using var lab = new CaptureLab();
        lab.Apply(CapturePresets.Istio with { ExcludeInterfaces = ["eth0"] }, backend);

        Assert.Equal(Landed("peer", RemoteV4, 80), lab.FromPod(RemoteV4, 80));
        Assert.Equal(Landed("app", PodV6, 8080), lab.FromPeer(PodV6, 8080));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Capture_Ipv4Only_LeavesIpv6Direct(string backend)
    {
        using var lab = new CaptureLab();
        lab.Apply(CapturePresets.Istio with { Families = CaptureFamilies.Ipv4 }, backend);

        Assert.Equal(Landed("proxy-out", RemoteV4, 80), lab.FromPod(RemoteV4, 80));
        Assert.Equal(Landed("peer", RemoteV6, 80), lab.FromPod(RemoteV6, 80));
        Assert.Equal(Landed("proxy-in", PodV4, 8080), lab.FromPeer(PodV4, 8080));
        Assert.Equal(Landed("app", PodV6, 8080), lab.FromPeer(PodV6, 8080));
    }

    private static IPAddress Passthrough(System.Net.Sockets.AddressFamily family) =>
        family == System.Net.Sockets.AddressFamily.InterNetwork ? IPAddress.Parse("127.0.0.6") : IPAddress.Parse("::6");

    private static CidrSet Cidrs(string text) => CidrSet.Parse(text, "networks");
}
