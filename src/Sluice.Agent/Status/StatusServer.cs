using System.Diagnostics;
using System.Net.Sockets;

namespace Sluice.Agent.Status;

/// <summary>
/// Answers <c>sluice-agent status</c> on a Unix socket in the run dir (mode 0600: root only; pod
/// names and the plugins' errors never reach the health port, which every node address serves).
/// One request per connection (<c>STATUS</c>), one line of JSON back (<see cref="LiveStatus"/>);
/// the whole exchange within <see cref="StatusSocket.Deadline"/>, a request of at most
/// <see cref="MaxRequest"/> bytes, <see cref="Threads"/> connections at a time.
/// </summary>
public sealed class StatusServer : IDisposable
{
    private const int MaxRequest = 64;
    private const int Threads = 2;

    private readonly Socket _socket;
    private readonly Thread[] _threads;
    private readonly Func<LiveStatus> _status;
    private readonly AgentLog _log;

    public StatusServer(string path, Func<LiveStatus> status, AgentLog log)
    {
        _status = status;
        _log = log;
        Path = path;
        _socket = RootOnlySocket.Bind(path, SocketType.Stream);
        _socket.Listen(16);
        _threads = Enumerable.Range(1, Threads).Select(n => new Thread(Serve) { IsBackground = true, Name = $"status {n}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        _socket.Dispose();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        File.Delete(Path);
    }

    private void Serve()
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
                Answer(client);
            }
        }
    }

    private void Answer(Socket client)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var request = SocketRequestReader.ReadHead(client, MaxRequest, StatusSocket.Deadline, "\n");
            if (request == StatusSocket.Request)
            {
                SocketRequestReader.SendAll(client, StatusSocket.Encode(_status()), StatusSocket.Deadline, clock);
            }
        }
        catch (Exception error) when (error is SocketException or TimeoutException or ObjectDisposedException)
        {
            _log.Debug($"status connection ended early: {error.GetType().Name}");
        }
        catch (Exception error)
        {
            // The next caller still gets an answer: a failure ends this connection only.
            _log.Warn($"status failed: {error.GetType().Name}: {error.Message}");
        }
    }
}
