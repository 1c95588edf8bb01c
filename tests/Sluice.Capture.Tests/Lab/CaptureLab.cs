using System.Net;
using System.Net.Sockets;
using Sluice.Capture.Policy;
using Sluice.Linux.Iptables;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.TestSupport.Traffic;

namespace Sluice.Capture.Tests.Lab;

/// <summary>
/// A pod and a peer, joined by a veth, both dual stack. The pod runs a stand-in proxy (outbound
/// 15001, inbound 15006 with transparent sockets, MSM stub 8554, DNS 15053, media UDP 8050) and an
/// app (8080, 9090, 15020); the peer answers on the ports the pod calls, on its veth address
/// and on a "remote" address behind it (198.51.100.7, 2001:db8:77::7). Every responder names
/// itself, so a probe tells where a connection landed and which destination it asked for.
/// </summary>
internal sealed class CaptureLab : IDisposable
{
    public static readonly IPAddress PodV4 = IPAddress.Parse("10.77.0.2");
    public static readonly IPAddress PodV6 = IPAddress.Parse("fd77::2");
    public static readonly IPAddress PeerV4 = IPAddress.Parse("10.77.0.1");
    public static readonly IPAddress PeerV6 = IPAddress.Parse("fd77::1");
    public static readonly IPAddress RemoteV4 = IPAddress.Parse("198.51.100.7");
    public static readonly IPAddress RemoteV6 = IPAddress.Parse("2001:db8:77::7");

    private static readonly (string Name, int Port)[] PodTcp = [("proxy-out", 15001), ("proxy-in", 15006), ("msm-stub", 8554), ("dns", 15053), ("app", 8080), ("app", 9090), ("app", 15020)];
    private static readonly (string Name, int Port)[] PodUdp = [("dns", 15053), ("media", 8050)];
    private static readonly int[] PeerTcp = [80, 554, 8080, 9999, 53];
    private static readonly int[] PeerUdp = [53, 5004];

    private readonly List<IDisposable> _owned = [];

    public CaptureLab()
    {
        try
        {
            PodNs = Own(TestNetns.Create("cpod"));
            PeerNs = Own(TestNetns.Create("cpeer"));
            Pod = Own(PodNs.Open());
            Peer = Own(PeerNs.Open());
            Wire();
            foreach (var family in new[] { IPAddress.Any, IPAddress.IPv6Any })
            {
                foreach (var (name, port) in PodTcp)
                {
                    Own(Responder.Start(Pod, name, ProtocolType.Tcp, new IPEndPoint(family, port), transparent: name == "proxy-in"));
                }

                foreach (var port in PeerTcp)
                {
                    Own(Responder.Start(Peer, "peer", ProtocolType.Tcp, new IPEndPoint(family, port)));
                }
            }

            // A UDP reply leaves from the address the socket is bound to, and a connected client
            // only takes replies from where it sent: so UDP responders bind each address. The
            // pod's are on loopback, where a local REDIRECT sends datagrams (as a real DNS proxy).
            foreach (var address in new[] { IPAddress.Loopback, IPAddress.IPv6Loopback })
            {
                foreach (var (name, port) in PodUdp)
                {
                    Own(Responder.Start(Pod, name, ProtocolType.Udp, new IPEndPoint(address, port)));
                }
            }

            foreach (var address in new[] { PeerV4, PeerV6, RemoteV4, RemoteV6 })
            {
                foreach (var port in PeerUdp)
                {
                    Own(Responder.Start(Peer, "peer", ProtocolType.Udp, new IPEndPoint(address, port)));
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public TestNetns PodNs { get; } = null!;

    public TestNetns PeerNs { get; } = null!;

    public NetNs Pod { get; } = null!;

    public NetNs Peer { get; } = null!;

    public static IPAddress PodAddress(AddressFamily family) => family == AddressFamily.InterNetwork ? PodV4 : PodV6;

    public static IPAddress PeerAddress(AddressFamily family) => family == AddressFamily.InterNetwork ? PeerV4 : PeerV6;

    public static IPAddress RemoteAddress(AddressFamily family) => family == AddressFamily.InterNetwork ? RemoteV4 : RemoteV6;

    public static IPAddress LoopbackAddress(AddressFamily family) => family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback;

    /// <summary>What <c>NAME ENDPOINT</c> line a responder answers with.</summary>
    public static string Landed(string name, IPAddress address, int port) => $"{name} {new IPEndPoint(address, port)}";

    public CaptureEngine Engine(CaptureBackendKind kind, IptablesVariant? variant = null) =>
        CaptureEngine.Open(Pod, kind, variant, variant is null ? null : "the test");

    /// <summary>Applies with a fresh engine for the backend (as a plugin invocation would).</summary>
    public CaptureOutcome Apply(CapturePolicy policy, CaptureBackendKind kind, IptablesVariant? variant = null)
    {
        using var engine = Engine(kind, variant);
        return engine.Apply(policy);
    }

    /// <summary>A TCP connection from the pod (as the given user/group, from the given source).</summary>
    public string FromPod(IPAddress address, int port, uint? uid = null, uint? gid = null, IPAddress? source = null) =>
        Probe.Tcp(Pod, new IPEndPoint(address, port), uid, gid, source);

    public string UdpFromPod(IPAddress address, int port, uint? uid = null) => Probe.Udp(Pod, new IPEndPoint(address, port), uid);

    /// <summary>A TCP connection from the peer into the pod.</summary>
    public string FromPeer(IPAddress address, int port) => Probe.Tcp(Peer, new IPEndPoint(address, port));

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            _owned[i].Dispose();
        }
    }

    private void Wire()
    {
        using var pod = Rtnl.OpenIn(Pod);
        using var peer = Rtnl.OpenIn(Peer);
        peer.CreateVeth("peer0", "eth0", Pod);
        var peerLink = peer.GetLink("peer0");
        var podLink = pod.GetLink("eth0");
        foreach (var (rtnl, link) in new[] { (pod, podLink), (peer, peerLink) })
        {
            rtnl.SetUp(rtnl.GetLink("lo").Index);
            rtnl.SetUp(link.Index);
        }

        pod.AddAddress(podLink.Index, PodV4, 24, AddressFlags.NoDad);
        pod.AddAddress(podLink.Index, PodV6, 64, AddressFlags.NoDad);
        peer.AddAddress(peerLink.Index, PeerV4, 24, AddressFlags.NoDad);
        peer.AddAddress(peerLink.Index, PeerV6, 64, AddressFlags.NoDad);
        var peerLoopback = peer.GetLink("lo").Index;
        peer.AddAddress(peerLoopback, RemoteV4, 32, AddressFlags.None);
        peer.AddAddress(peerLoopback, RemoteV6, 128, AddressFlags.NoDad);
        pod.AddRoute(new Route { Family = AddressFamily.InterNetwork, Gateway = PeerV4, OutputIndex = podLink.Index });
        pod.AddRoute(new Route { Family = AddressFamily.InterNetworkV6, Gateway = PeerV6, OutputIndex = podLink.Index });
        pod.WaitOperUp(podLink.Index, TimeSpan.FromSeconds(5));
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }
}
