using System.Net;
using System.Net.Sockets;
using System.Text;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport.Traffic;

/// <summary>
/// Client connections made from inside a namespace, optionally as another user or group (the
/// socket's owner) or from a given source address. Each returns the answering responder's line
/// (<c>proxy-out 198.51.100.7:80</c>), or what went wrong (<c>refused</c>, <c>timeout</c>).
/// </summary>
public static class Probe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public static string Tcp(NetNs ns, IPEndPoint target, uint? uid = null, uint? gid = null, IPAddress? source = null) => ns.Run(() =>
    {
        using var socket = ThreadCredentials.As(uid, gid, () => new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        try
        {
            using var cancel = new CancellationTokenSource(Timeout);
            socket.ConnectAsync(target, cancel.Token).AsTask().GetAwaiter().GetResult();
            return ReadLine(socket);
        }
        catch (OperationCanceledException)
        {
            return "timeout";
        }
        catch (SocketException error)
        {
            return Describe(error);
        }
    });

    public static string Udp(NetNs ns, IPEndPoint target, uint? uid = null) => ns.Run(() =>
    {
        using var socket = ThreadCredentials.As(uid, null, () => new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp));
        socket.ReceiveTimeout = (int)Timeout.TotalMilliseconds;
        try
        {
            socket.Connect(target);
            socket.Send("?"u8);
            var buffer = new byte[512];
            var length = socket.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, length).TrimEnd('\n');
        }
        catch (SocketException error)
        {
            return Describe(error);
        }
    });

    private static string ReadLine(Socket socket)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        while (true)
        {
            var length = socket.Receive(buffer);
            if (length == 0)
            {
                return text.ToString().TrimEnd('\n');
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, length));
        }
    }

    private static string Describe(SocketException error) => error.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "refused",
        SocketError.TimedOut or SocketError.WouldBlock => "timeout",
        SocketError.ConnectionReset => "reset",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "unreachable",
        _ => error.SocketErrorCode.ToString(),
    };
}
