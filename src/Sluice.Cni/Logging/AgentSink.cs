using Sluice.Linux.Sockets;

namespace Sluice.Cni.Logging;

/// <summary>
/// Forwards records to sluice-agent's log socket, so <c>kubectl logs</c> on the DaemonSet shows
/// what the plugins did. Never blocks a pod: when the agent cannot take a record (absent, busy),
/// that record and every later one of this call go to <paramref name="fallback"/> (the plugin's
/// log file, when it has one) instead.
/// </summary>
public sealed class AgentSink(string socketPath, ILogSink? fallback) : ILogSink
{
    private readonly UnixDatagramSender _sender = new(socketPath);
    private bool _agentGone;

    public string SocketPath => socketPath;

    public void Write(in LogRecord record) => Send(PluginRecord.Log(record), record);

    /// <summary>The call's outcome ("ok" or "error CODE: text") and duration, for the agent's metrics; not written to the fallback.</summary>
    public void Call(PluginRecord outcome) => Send(outcome, null);

    public void Dispose()
    {
        _sender.Dispose();
        fallback?.Dispose();
    }

    private void Send(PluginRecord record, LogRecord? original)
    {
        if (!_agentGone && _sender.TrySend(record.Encode()))
        {
            return;
        }

        _agentGone = true;
        if (original is { } line)
        {
            fallback?.Write(line);
        }
    }
}
