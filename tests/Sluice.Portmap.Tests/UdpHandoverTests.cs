using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Namespaces;
using Sluice.Portmap.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Portmap.Tests;

/// <summary>
/// A UDP client that never stops sending keeps its conntrack entry alive, and NAT is decided on an
/// entry's first packet only. After the pod holding the port is deleted and another takes the
/// port, the same client (same source port, never pausing) must reach the new pod.
/// </summary>
public sealed class UdpHandoverTests
{
    private const string DnsMapping = """[{"HostPort":5353,"ContainerPort":53,"Protocol":"udp"}]""";

    [RootTheory]
    [InlineData("nftables")]
    [InlineData("iptables")]
    public void UdpMapping_AfterDelAndANewPod_TheSameClientReachesTheNewPod(string backend)
    {
        using var node = new PortmapNode(backend);
        var first = node.AddPod("dns1", "ctr-dns1", DnsMapping);
        using var firstServer = Responder.Start(first.Ns, "first", ProtocolType.Udp, new IPEndPoint(IPAddress.Any, 53));
        using var client = new SteadyUdpClient(node.OutsideNs, new IPEndPoint(PortmapNode.NodeV4, 5353));
        Assert.StartsWith("first", client.WaitFor("first"), StringComparison.Ordinal);

        node.Remove(first, DnsMapping);
        client.Send(5); // still sending while no pod has the port: its datagrams now go to the node
        var second = node.AddPod("dns2", "ctr-dns2", DnsMapping);
        using var secondServer = Responder.Start(second.Ns, "second", ProtocolType.Udp, new IPEndPoint(IPAddress.Any, 53));

        Assert.True(client.WaitFor("second") is { } answer && answer.StartsWith("second", StringComparison.Ordinal), node.Ruleset());
    }

    /// <summary>One UDP socket with a fixed source port in a namespace, sending a datagram every 100 ms and keeping the last answer.</summary>
    private sealed class SteadyUdpClient : IDisposable
    {
        private readonly Socket _socket;
        private readonly IPEndPoint _target;

        public SteadyUdpClient(NetNs ns, IPEndPoint target)
        {
            _target = target;
            _socket = ns.Run(() =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 100 };
                socket.Bind(new IPEndPoint(IPAddress.Any, 40053));
                return socket;
            });
        }

        public void Send(int datagrams)
        {
            for (var i = 0; i < datagrams; i++)
            {
                Exchange();
            }
        }

        /// <summary>Keeps sending until an answer starts with <paramref name="name"/> (at most 10 s); returns the last answer.</summary>
        public string? WaitFor(string name)
        {
            string? last = null;
            for (var i = 0; i < 100; i++)
            {
                last = Exchange() ?? last;
                if (last?.StartsWith(name, StringComparison.Ordinal) == true)
                {
                    return last;
                }
            }

            return last;
        }

        public void Dispose() => _socket.Dispose();

        private string? Exchange()
        {
            _socket.SendTo("?"u8, _target);
            var buffer = new byte[512];
            try
            {
                var length = _socket.Receive(buffer);
                Thread.Sleep(50);
                return Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\n');
            }
            catch (SocketException)
            {
                return null; // no answer within 100 ms (or an ICMP error): go on sending
            }
        }
    }
}
