using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.Agent.Health;

/// <summary>
/// The agent's HTTP endpoints for kubelet's probes and Prometheus: <c>/healthz</c> (the process
/// answers), <c>/readyz</c> (200 only while the install is valid, else 503 with the reason) and
/// <c>/metrics</c>. A deliberately small HTTP/1.1 server: GET only, one request per connection,
/// a bounded request and a short read timeout, on its own thread.
/// </summary>
public sealed class HealthServer : IDisposable
{
    private const int MaxRequest = 8192;
    private readonly TcpListener _listener;
    private readonly Thread _thread;
    private readonly Func<(bool Ready, string? Why)> _readiness;
    private readonly Func<string> _metrics;

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

        _listener.Start(16);
        _thread = new Thread(Serve) { IsBackground = true, Name = "health" };
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
    }

    private void Serve()
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

            using (client)
            {
                try
                {
                    client.ReceiveTimeout = 2000;
                    client.SendTimeout = 2000;
                    var (status, contentType, body) = Answer(ReadRequestLine(client));
                    var bytes = Encoding.UTF8.GetBytes(body);
                    var head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                    client.Send(Encoding.ASCII.GetBytes(head));
                    client.Send(bytes);
                }
                catch (SocketException)
                {
                    // The client went away or was too slow; the next one is served.
                }
            }
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

    private static string? ReadRequestLine(Socket client)
    {
        var buffer = new byte[MaxRequest];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
            if (read == 0)
            {
                break;
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal) || text.Contains("\n\n", StringComparison.Ordinal))
            {
                return text.Split('\n')[0].TrimEnd('\r');
            }
        }

        return null;
    }
}
