using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// Answers sluice-redirect's pod lookups on a Unix socket (mode 0600, root only) from the
/// <see cref="PodCache"/>, so an ADD costs a local round trip instead of a TLS handshake with
/// the API server. One line each way:
/// <c>GET ns name [uid]</c> → <c>200 {pod JSON}</c>, <c>404 why</c> or <c>503 why</c>; with a UID,
/// 200 only for a pod with that UID, and 404 when the API server's pod of that name has another.
/// The plugin falls back to the API server itself on anything but 200 and 404.
/// A few threads wait in accept() together and each answers its connection itself, without
/// handing it to the thread pool: the plugin waits for this answer inside every ADD, so the
/// answer depends on no other work the agent has queued (no gain beyond the noise was measurable
/// on an idle node, docs/benchmarks.md). A slow, silent or trickling client holds one thread for at
/// most <see cref="ClientTimeout"/> for its whole request (not per read); the others go on answering.
/// </summary>
public sealed class PodLookupServer : IDisposable
{
    private const int MaxRequest = 1024;
    private const int Threads = 4;
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Bounds a lookup that misses the cache and asks the API server.</summary>
    private static readonly TimeSpan MissTimeout = TimeSpan.FromSeconds(10);

    private readonly Socket _socket;
    private readonly Thread[] _threads;
    private readonly PodCache _cache;
    private readonly AgentLog _log;
    private readonly PodLookupMetrics? _metrics;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>
    /// The answer of each cached pod, serialized once per version of the pod (the cache replaces a
    /// Pod on every change, never edits one): a lookup then allocates almost nothing, so the
    /// lookups of a busy node add no garbage collections, whose pauses are the lookups' tail.
    /// </summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Pod, byte[]> _answers = new();

    /// <param name="metrics">Where each lookup's time is recorded; null: nowhere.</param>
    public PodLookupServer(string path, PodCache cache, AgentLog log, PodLookupMetrics? metrics = null)
    {
        _cache = cache;
        _log = log;
        _metrics = metrics;
        Path = path;
        _socket = RootOnlySocket.Bind(path, SocketType.Stream);
        _socket.Listen(64);
        _threads = Enumerable.Range(1, Threads).Select(n => new Thread(Serve) { IsBackground = true, Name = $"pod lookups {n}" }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

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

            Answer(client);
        }
    }

    private void Answer(Socket client)
    {
        var accepted = Stopwatch.GetTimestamp();
        string? status = null;
        using (client)
        {
            try
            {
                var answer = Answer(SocketRequestReader.ReadHead(client, MaxRequest, ClientTimeout, "\n"));

                // The answer gets its own deadline: a lookup that asked the API server has already taken a while.
                SocketRequestReader.SendAll(client, answer, ClientTimeout, Stopwatch.StartNew());
                status = Encoding.ASCII.GetString(answer, 0, 3);
            }
            catch (Exception error) when (error is SocketException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                _log.Debug($"pod lookup connection ended early: {error.GetType().Name}");
            }
            catch (Exception error)
            {
                // This thread serves the next connections: a failure it did not expect ends this
                // one connection only (the plugin then asks the API server itself).
                _log.Warn($"pod lookup failed: {error.GetType().Name}: {error.Message}");
            }
        }

        _metrics?.Record(status, Stopwatch.GetElapsedTime(accepted).TotalSeconds);
    }

    /// <summary>The answer line's bytes, newline included.</summary>
    private byte[] Answer(string? request)
    {
        if (request?.Split(' ') is not ["GET", var ns, var name, .. var rest] || rest.Length > 1)
        {
            return Line("400 expected: GET namespace name [uid]");
        }

        try
        {
            var lookup = _cache.GetAsync(ns, name, rest.Length == 1 ? rest[0] : null, _stop.Token);
            if (!lookup.IsCompleted && !WaitQuietly(lookup))
            {
                return Line($"503 pod {ns}/{name}: the API server did not answer within {MissTimeout.TotalSeconds:0} s");
            }

            var uid = rest.Length == 1 ? rest[0] : null;
            return lookup.GetAwaiter().GetResult() switch
            {
                { Pod: { } pod } => _answers.GetValue(pod, static p => Line("200 " + PodJson.Write(p))),
                { OtherUid: { } other } => Line($"404 pod {ns}/{name} is now UID {other}, not {uid}: the sandbox is for a pod that no longer exists"),
                _ => Line($"404 pod {ns}/{name} not found"),
            };
        }
        catch (KubeApiException error)
        {
            return Line("503 " + error.Message.ReplaceLineEndings(" "));
        }
    }

    private static byte[] Line(string answer) => Encoding.UTF8.GetBytes(answer + "\n");

    /// <summary>A miss: the cache asks the API server, and this thread waits, bounded; a failure is rethrown by the caller's GetResult.</summary>
    private bool WaitQuietly(Task lookup)
    {
        try
        {
            return lookup.Wait(MissTimeout, _stop.Token);
        }
        catch (AggregateException)
        {
            return true;
        }
    }
}
