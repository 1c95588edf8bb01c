using Sluice.Cni.Logging;

namespace Sluice.Agent;

/// <summary>
/// One line per record on the agent's stderr (what <c>kubectl logs</c> shows): time, level,
/// message. Always one line: the message's control characters are escaped (<see cref="LogText"/>),
/// so a value from a pod, the API server or a plugin's datagram cannot start a forged record.
/// </summary>
public sealed class AgentLog(TextWriter output, string level)
{
    private static readonly string[] Levels = ["debug", "info", "warn", "error"];
    private readonly int _threshold = Math.Max(0, Array.IndexOf(Levels, level));
    private readonly Lock _lock = new();

    public void Debug(string message) => Write(0, message);

    public void Info(string message) => Write(1, message);

    public void Warn(string message) => Write(2, message);

    public void Error(string message) => Write(3, message);

    /// <summary>A record a plugin sent: its own component and context instead of the agent's name.</summary>
    public void Plugin(LogLevel level, string text) => Write((int)level, text, component: null);

    private void Write(int level, string message, string? component = "sluice-agent: ")
    {
        if (level < _threshold)
        {
            return;
        }

        lock (_lock)
        {
            output.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {Levels[level]} {component}{LogText.Escape(message)}");
            output.Flush();
        }
    }
}
