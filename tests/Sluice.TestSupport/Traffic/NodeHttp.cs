using System.Net.Sockets;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport.Traffic;

/// <summary>HTTP clients whose connections start inside a namespace (a node's health port is reachable only there).</summary>
public static class NodeHttp
{
    /// <summary>A client for <c>http://127.0.0.1:<paramref name="port"/></c> of <paramref name="ns"/>.</summary>
    public static HttpClient Client(NetNs ns, int port, TimeSpan timeout) =>
        new(new SocketsHttpHandler { ConnectCallback = (context, cancel) => ConnectInAsync(ns, context, cancel) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = timeout,
        };

    private static async ValueTask<Stream> ConnectInAsync(NetNs ns, SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        // A socket belongs to the namespace it was created in: make it there, use it from here.
        var socket = ns.Run(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
