using System.Globalization;
using System.Text;

namespace Sluice.Cni.Logging;

/// <summary>One log line with the context of the invocation that wrote it.</summary>
public readonly record struct LogRecord(
    DateTimeOffset Time,
    LogLevel Level,
    string Component,
    string? Command,
    string? ContainerId,
    string? Pod,
    string Message,
    double ElapsedMs = -1)
{
    /// <summary>
    /// <c>2026-11-23T08:15:00.123Z warn sluice-bridge ADD container=0123456789ab pod=ns/name +3.2ms: message</c>
    /// (time since the call began): always one line, every value's control characters escaped (<see cref="LogText"/>).
    /// </summary>
    public string Format()
    {
        var text = new StringBuilder(96 + Message.Length);
        text.Append(Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture))
            .Append(' ').Append(LogLevels.Name(Level))
            .Append(' ').Append(LogText.Escape(Component));
        if (Command is not null)
        {
            text.Append(' ').Append(LogText.Escape(Command));
        }

        if (!string.IsNullOrEmpty(ContainerId))
        {
            text.Append(" container=").Append(LogText.Escape(ContainerId.Length > 12 ? ContainerId[..12] : ContainerId));
        }

        if (!string.IsNullOrEmpty(Pod))
        {
            text.Append(" pod=").Append(LogText.Escape(Pod));
        }

        if (ElapsedMs >= 0)
        {
            text.Append(" +").Append(ElapsedMs.ToString("F1", CultureInfo.InvariantCulture)).Append("ms");
        }

        return text.Append(": ").Append(LogText.Escape(Message)).ToString();
    }
}
