using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Redirect.Tests.Lab;

/// <summary>
/// sluice-agent's two sockets as a plugin sees them, without the agent: a pod lookup socket that
/// answers every request with one pod (<c>200 {pod JSON}</c>, the agent's wire form), and a
/// datagram socket that takes the plugins' log and call records and drops them.
/// </summary>
internal sealed class FakeAgentSockets : IDisposable
{
    private readonly Socket _pods = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly Socket _log = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly byte[] _answer;
    private readonly Thread _server;
    private int _served;

    public FakeAgentSockets(string directory, string podJson)
    {
        PodSocket = Path.Combine(directory, "pods.sock");
        LogSocket = Path.Combine(directory, "log.sock");
        _answer = Encoding.UTF8.GetBytes("200 " + JsonNode.Parse(podJson)!.ToJsonString() + "\n");
        _pods.Bind(new UnixDomainSocketEndPoint(PodSocket));
        _pods.Listen(8);
        _log.Bind(new UnixDomainSocketEndPoint(LogSocket));
        _server = new Thread(Serve) { IsBackground = true, Name = "fake agent pod lookups" };
        _server.Start();
    }

    public string PodSocket { get; }

    public string LogSocket { get; }

    /// <summary>How many lookups have been answered.</summary>
    public int Served => Volatile.Read(ref _served);

    public void Dispose()
    {
        _pods.Dispose();
        _log.Dispose();
        _server.Join(TimeSpan.FromSeconds(2));
    }

    private void Serve()
    {
        while (true)
        {
            try
            {
                using var client = _pods.Accept();
                client.ReceiveTimeout = 2000;
                var buffer = new byte[1024];
                var length = 0;
                while (Array.IndexOf(buffer, (byte)'\n', 0, length) < 0 && length < buffer.Length)
                {
                    var read = client.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }

                client.Send(_answer);
                Interlocked.Increment(ref _served);
            }
            catch (SocketException)
            {
                // A client that went away; the next one is served.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
