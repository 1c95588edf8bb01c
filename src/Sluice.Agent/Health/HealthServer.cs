using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Agent.Health;

/// <summary>
/// The agent's HTTP endpoints for kubelet's probes and Prometheus: <c>/healthz</c> (the process
/// answers), <c>/readyz</c> (200 only while the install is valid, else 503 with the reason) and
/// <c>/metrics</c>. A deliberately small HTTP/1.1 server: GET only, one request per connection, a
/// bounded request with a deadline for the whole of it (<see cref="RequestDeadline"/>, not per
/// read). Each connection is served on a thread of its own, at most <see cref="MaxConnections"/> at
/// once; a connection past that closes the oldest one, so slow or silent clients on the node's
/// network cannot keep the probes from being answered.
/// </summary>
public sealed class HealthServer : IDisposable
{
    /// <summary>Time for a client to send its whole request and take the answer.</summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(2);

    /// <summary>Connections served at once.</summary>
    public const int MaxConnections = 16;

    private const int MaxRequest = 8192;
    private readonly TcpListener _listener;
    private readonly Thread _thread;
    private readonly Func<(bool Ready, string? Why)> _readiness;
    private readonly Func<string> _metrics;
    private readonly Lock _lock = new();
    private readonly LinkedList<Socket> _open = new();

    public HealthServer(IPEndPoint endpoint, Func<(bool Ready, string? Why)> readiness, Func<string> metrics)
    {
        _readiness = readiness;
        _metrics = metrics;
        _listener = new TcpListener(endpoint);
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6 && endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            // Probes come from kubelet over the node's address, IPv4 or IPv6 (IPv6-only nodes too).
            _listener.Server.DualMode = true;
        }

        _listener.Start(64);
        _thread = new Thread(Accept) { IsBackground = true, Name = "health" };
        _thread.Start();
    }

    /// <summary>All addresses of both families on <paramref name="port"/>, or IPv4 only where the kernel has no IPv6.</summary>
    public static HealthServer OnAllAddresses(int port, Func<(bool Ready, string? Why)> readiness, Func<string> metrics)
    {
        try
        {
            return new HealthServer(new IPEndPoint(IPAddress.IPv6Any, port), readiness, metrics);
        }
        catch (SocketException error) when (error.SocketErrorCode == SocketError.AddressFamilyNotSupported)
        {
            return new HealthServer(new IPEndPoint(IPAddress.Any, port), readiness, metrics);
        }
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Dispose()
    {
        _listener.Stop();
        _thread.Join(TimeSpan.FromSeconds(2));
        lock (_lock)
        {
            foreach (var client in _open)
            {
                Close(client);
            }
        }
    }

    private void Accept()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = _listener.AcceptSocket();
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            LinkedListNode<Socket> node;
            lock (_lock)
            {
                if (_open.Count >= MaxConnections)
                {
                    // The oldest connection has had the most time: it goes (its thread wakes and ends).
                    Close(_open.First!.Value);
                    _open.RemoveFirst();
                }

                node = _open.AddLast(client);
            }

            new Thread(() => Serve(node)) { IsBackground = true, Name = "health request" }.Start();
        }
    }

    private void Serve(LinkedListNode<Socket> node)
    {
        var client = node.Value;
        try
        {
            var clock = Stopwatch.StartNew();
            var head = SocketRequestReader.ReadHead(client, MaxRequest, RequestDeadline, "\r\n\r\n", "\n\n");
            var (status, contentType, body) = Answer(head?.Split('\n')[0].TrimEnd('\r'));
            var bytes = Encoding.UTF8.GetBytes(body);
            var answer = Encoding.UTF8.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n{body}");
            SocketRequestReader.SendAll(client, answer, RequestDeadline, clock);
        }
        catch (Exception error) when (error is SocketException or TimeoutException or ObjectDisposedException)
        {
            // The client went away, was too slow, or was closed to make room; the others are served.
        }
        finally
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _open.Remove(node);
                }
            }

            client.Dispose();
        }
    }

    /// <summary>Wakes a thread blocked on the socket (shutdown, not close: the serving thread disposes it).</summary>
    private static void Close(Socket client)
    {
        try
        {
            client.Shutdown(SocketShutdown.Both);
        }
        catch (Exception error) when (error is SocketException or ObjectDisposedException)
        {
        }
    }

    private (string Status, string ContentType, string Body) Answer(string? requestLine)
    {
        var parts = requestLine?.Split(' ');
        if (parts is not [var method, var target, var version] || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return ("400 Bad Request", "text/plain", "bad request\n");
        }

        if (method is not ("GET" or "HEAD"))
        {
            return ("405 Method Not Allowed", "text/plain", "only GET\n");
        }

        switch (target.Split('?')[0])
        {
            case "/healthz":
                return ("200 OK", "text/plain", "ok\n");
            case "/readyz":
                var (ready, why) = _readiness();
                return ready ? ("200 OK", "text/plain", "ready\n") : ("503 Service Unavailable", "text/plain", $"not ready: {why}\n");
            case "/metrics":
                return ("200 OK", "text/plain; version=0.0.4; charset=utf-8", _metrics());
            default:
                return ("404 Not Found", "text/plain", "try /healthz, /readyz or /metrics\n");
        }
    }
}
