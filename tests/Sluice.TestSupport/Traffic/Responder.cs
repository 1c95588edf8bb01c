using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport.Traffic;

/// <summary>
/// A listener inside a namespace that answers every TCP connection (and UDP datagram) with one
/// line: its name and the destination the client originally asked for. For a connection that
/// nat redirected, that is SO_ORIGINAL_DST; otherwise (direct, or TPROXY, which keeps the
/// address) the socket's local address. Sockets belong to the namespace they are created in,
/// so the serving threads need not enter it.
/// </summary>
public sealed class Responder : IDisposable
{
    private const int SolIp = 0;
    private const int SolIpv6 = 41;
    private const int SoOriginalDst = 80;
    private const int IpTransparent = 19;
    private const int Ipv6Transparent = 75;

    private readonly Socket _socket;
    private readonly Thread _thread;

    private readonly bool _reportPeer;

    private Responder(string name, Socket socket, bool reportPeer)
    {
        Name = name;
        _socket = socket;
        _reportPeer = reportPeer;
        _thread = new Thread(socket.ProtocolType == ProtocolType.Tcp ? ServeTcp : ServeUdp) { IsBackground = true, Name = $"responder {name}" };
        _thread.Start();
    }

    public string Name { get; }

    /// <summary>
    /// Listens on <paramref name="endpoint"/> in <paramref name="ns"/>; a transparent socket accepts
    /// TPROXY'd connections. With <paramref name="reportPeer"/> the line ends with <c>from PEER</c>,
    /// the client's address as the listener sees it (after any NAT).
    /// </summary>
    public static Responder Start(NetNs ns, string name, ProtocolType protocol, IPEndPoint endpoint, bool transparent = false, bool reportPeer = false)
    {
        var socket = ns.Run(() =>
        {
            var s = new Socket(endpoint.AddressFamily, protocol == ProtocolType.Tcp ? SocketType.Stream : SocketType.Dgram, protocol);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                s.DualMode = false;
            }

            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (transparent)
            {
                var v6 = endpoint.AddressFamily == AddressFamily.InterNetworkV6;
                s.SetRawSocketOption(v6 ? SolIpv6 : SolIp, v6 ? Ipv6Transparent : IpTransparent, BitConverter.GetBytes(1));
            }

            s.Bind(endpoint);
            if (protocol == ProtocolType.Tcp)
            {
                s.Listen(64);
            }

            return s;
        });
        return new Responder(name, socket, reportPeer);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void ServeTcp()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _socket.Accept();
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return;
            }

            using (client)
            {
                try
                {
                    client.Send(Encoding.ASCII.GetBytes($"{Name} {OriginalDestination(client)}{Peer(client.RemoteEndPoint)}\n"));
                    client.Shutdown(SocketShutdown.Send);
                }
                catch (SocketException)
                {
                    // The client gave up; the next one may not.
                }
            }
        }
    }

    private void ServeUdp()
    {
        var buffer = new byte[2048];
        while (true)
        {
            EndPoint sender = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
            try
            {
                _socket.ReceiveFrom(buffer, ref sender);
                _socket.SendTo(Encoding.ASCII.GetBytes($"{Name} {_socket.LocalEndPoint}{Peer(sender)}\n"), sender);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                if (error is ObjectDisposedException || !_socket.IsBound)
                {
                    return;
                }
            }
        }
    }

    private string Peer(EndPoint? peer) => _reportPeer ? $" from {(peer as IPEndPoint)?.Address}" : "";

    private static string OriginalDestination(Socket client)
    {
        var v6 = client.AddressFamily == AddressFamily.InterNetworkV6;
        var buffer = new byte[v6 ? 28 : 16];
        try
        {
            var length = client.GetRawSocketOption(v6 ? SolIpv6 : SolIp, SoOriginalDst, buffer);
            if (length >= (v6 ? 24 : 8))
            {
                var port = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2));
                var address = new IPAddress(v6 ? buffer.AsSpan(8, 16) : buffer.AsSpan(4, 4));
                return new IPEndPoint(address, port).ToString();
            }
        }
        catch (SocketException)
        {
            // No conntrack entry: the connection was not translated.
        }

        return client.LocalEndPoint!.ToString()!;
    }
}
