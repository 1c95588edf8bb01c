using System.Net.Sockets;
using System.Text;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// Answers sluice-redirect's pod lookups on a Unix socket (mode 0600, root only) from the
/// <see cref="PodCache"/>, so an ADD costs a local round trip instead of a TLS handshake with
/// the API server. One line each way:
/// <c>GET ns name [uid]</c> → <c>200 {pod JSON}</c>, <c>404 why</c> or <c>503 why</c>.
/// The plugin falls back to the API server itself on anything but 200 and 404.
/// </summary>
public sealed class PodLookupServer : IDisposable
{
    private const int MaxRequest = 1024;
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly PodCache _cache;
    private readonly AgentLog _log;
    private readonly CancellationTokenSource _stop = new();

    public PodLookupServer(string path, PodCache cache, AgentLog log)
    {
        _cache = cache;
        _log = log;
        Path = path;
        _socket = RootOnlySocket.Bind(path, SocketType.Stream);
        _socket.Listen(64);
        _thread = new Thread(Serve) { IsBackground = true, Name = "pod lookups" };
        _thread.Start();
    }

    public string Path { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
        File.Delete(Path);
        _stop.Dispose();
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

            _ = Task.Run(() => AnswerAsync(client));
        }
    }

    private async Task AnswerAsync(Socket client)
    {
        using (client)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            try
            {
                var request = await ReadLineAsync(client, deadline.Token).ConfigureAwait(false);
                var answer = await AnswerAsync(request, deadline.Token).ConfigureAwait(false);
                await client.SendAsync(Encoding.UTF8.GetBytes(answer + "\n"), SocketFlags.None, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                _log.Debug($"pod lookup connection ended early: {error.GetType().Name}");
            }
        }
    }

    private async Task<string> AnswerAsync(string? request, CancellationToken cancellationToken)
    {
        if (request?.Split(' ') is not ["GET", var ns, var name, .. var rest] || rest.Length > 1)
        {
            return "400 expected: GET namespace name [uid]";
        }

        try
        {
            var pod = await _cache.GetAsync(ns, name, rest.Length == 1 ? rest[0] : null, cancellationToken).ConfigureAwait(false);
            return pod is null ? $"404 pod {ns}/{name} not found" : "200 " + PodJson.Write(pod);
        }
        catch (KubeApiException error)
        {
            return "503 " + error.Message.ReplaceLineEndings(" ");
        }
    }

    private static async Task<string?> ReadLineAsync(Socket client, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequest];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            length += read;
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, length);
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, newline).TrimEnd('\r');
            }
        }

        return null;
    }
}
