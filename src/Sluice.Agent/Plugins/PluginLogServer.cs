using System.Net.Sockets;
using Sluice.Cni.Logging;

namespace Sluice.Agent.Plugins;

/// <summary>
/// Receives the plugins' records on a Unix datagram socket (mode 0600) and writes them into the
/// agent's own log, so <c>kubectl logs</c> on the DaemonSet shows what the plugins did, with
/// container, pod and duration; call outcomes also feed <see cref="PluginCallMetrics"/>. The
/// socket's queue bounds what waits: a plugin whose datagram does not fit falls back to its log file.
/// A datagram longer than <see cref="PluginRecord.MaxBytes"/> (the plugins' encoder never sends
/// one) is dropped whole rather than read in part. A record that reached the socket before the
/// agent stops is still logged (<see cref="Dispose"/>): the DEL a pod's last moments produced
/// just before a SIGTERM is in the agent's log, not lost with the socket's queue.
/// </summary>
public sealed class PluginLogServer : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly AgentLog _log;
    private readonly PluginCallMetrics _metrics;
    private readonly Status.RecentPluginErrors? _errors;
    private volatile bool _stopping;

    /// <param name="errors">Keeps the last warnings and failed calls for <c>sluice-agent status</c> (null: not kept).</param>
    public PluginLogServer(string path, AgentLog log, PluginCallMetrics metrics, Status.RecentPluginErrors? errors = null)
    {
        _log = log;
        _metrics = metrics;
        _errors = errors;
        Path = path;
        _socket = RootOnlySocket.Bind(path, SocketType.Dgram);
        _socket.ReceiveBufferSize = 1 << 20;
        _thread = new Thread(Serve) { IsBackground = true, Name = "plugin logs" };
        _thread.Start();
    }

    public string Path { get; }

    /// <summary>
    /// Stops taking records and logs those already queued: the serving thread is woken by an empty
    /// datagram (no plugin sends one: a record never encodes empty), the path goes so that later
    /// plugins log to their own files, and what the queue held up to then is read before the socket
    /// closes. Bounded: a thread still busy after two seconds loses the rest with the socket.
    /// </summary>
    public void Dispose()
    {
        _stopping = true;
        Wake();
        File.Delete(Path);
        _thread.Join(TimeSpan.FromSeconds(2));
        _socket.Dispose();
    }

    private void Wake()
    {
        // Not sent when the queue is full: the thread is reading then, and sees the stop after its
        // next datagram.
        using var waker = new Sluice.Linux.Sockets.UnixDatagramSender(Path);
        waker.TrySend([]);
    }

    private void Serve()
    {
        var buffer = new byte[PluginRecord.MaxBytes + 1];
        while (true)
        {
            int length;
            try
            {
                // Once stopping, only what is already queued: no waiting for more.
                if (_stopping && !_socket.Poll(TimeSpan.Zero, SelectMode.SelectRead))
                {
                    return;
                }

                length = _socket.Receive(buffer);
            }
            catch (Exception error) when (error is SocketException or ObjectDisposedException)
            {
                return;
            }

            if (length > PluginRecord.MaxBytes)
            {
                _log.Debug($"plugin log datagram dropped: over {PluginRecord.MaxBytes} bytes");
                continue;
            }

            if (PluginRecord.TryDecode(buffer.AsSpan(0, length)) is { } record)
            {
                Handle(record);
            }
        }
    }

    private void Handle(PluginRecord record)
    {
        _errors?.Offer(record);
        var context = Context(record);
        if (record.Kind == PluginRecordKind.Log)
        {
            _log.Plugin(record.Level, $"{context} +{record.ElapsedMs:F1}ms: {record.Message}");
            return;
        }

        var result = record.Message == "ok" ? "ok" : ErrorCode(record.Message);
        _metrics.Record(record.Component, record.Command ?? "", result, record.ElapsedMs / 1000);
        _log.Plugin(result == "ok" ? LogLevel.Info : LogLevel.Warn, $"{context}: {record.Message} in {record.ElapsedMs:F1} ms");
    }

    private static string Context(PluginRecord record) =>
        record.Component
        + (record.Command is null ? "" : " " + record.Command)
        + (record.ContainerId is null ? "" : " container=" + (record.ContainerId.Length > 12 ? record.ContainerId[..12] : record.ContainerId))
        + (record.Pod is null ? "" : " pod=" + record.Pod);

    /// <summary>"error 7: …" → "7"; anything else is counted as "error".</summary>
    private static string ErrorCode(string outcome)
    {
        var words = outcome.Split(' ', 3);
        return words.Length >= 2 && words[0] == "error" && int.TryParse(words[1].TrimEnd(':'), out var code) ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "error";
    }
}
