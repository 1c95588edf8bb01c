using System.Globalization;
using System.Text;

namespace Sluice.Cni.Logging;

/// <summary>
/// What a plugin sends the node agent: a log record, or the outcome of a whole call (for the
/// agent's per-call metrics and its log). One datagram each, UTF-8, tab-separated, every value's
/// control characters escaped (<see cref="LogText"/>, so a record is one line; the agent still
/// escapes what it receives, from whichever sender), the message last:
/// <c>sluice1 TAB kind TAB level TAB component TAB command TAB container TAB pod TAB elapsed-ms TAB message</c>.
/// </summary>
public readonly record struct PluginRecord(
    PluginRecordKind Kind,
    LogLevel Level,
    string Component,
    string? Command,
    string? ContainerId,
    string? Pod,
    double ElapsedMs,
    string Message)
{
    /// <summary>Datagrams stay well under the Unix socket's limits; longer messages are cut.</summary>
    public const int MaxBytes = 8192;

    private const string Magic = "sluice1";

    public static PluginRecord Log(in LogRecord record) =>
        new(PluginRecordKind.Log, record.Level, record.Component, record.Command, record.ContainerId, record.Pod, record.ElapsedMs, record.Message);

    public byte[] Encode()
    {
        var text = new StringBuilder(128 + Message.Length)
            .Append(Magic).Append('\t')
            .Append(Kind == PluginRecordKind.Call ? "call" : "log").Append('\t')
            .Append(LogLevels.Name(Level)).Append('\t')
            .Append(Field(Component)).Append('\t')
            .Append(Field(Command)).Append('\t')
            .Append(Field(ContainerId)).Append('\t')
            .Append(Field(Pod)).Append('\t')
            .Append(ElapsedMs.ToString("F2", CultureInfo.InvariantCulture)).Append('\t')
            .Append(LogText.Escape(Message));
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return bytes.Length <= MaxBytes ? bytes : bytes[..MaxBytes];
    }

    /// <summary>The record in <paramref name="datagram"/>, or null when it is not one (another sender, another version).</summary>
    public static PluginRecord? TryDecode(ReadOnlySpan<byte> datagram)
    {
        var parts = Encoding.UTF8.GetString(datagram).Split('\t', 9);
        if (parts.Length != 9 || parts[0] != Magic || parts[1] is not ("log" or "call") || !LogLevels.TryParse(parts[2], out var level)
            || !double.TryParse(parts[7], NumberStyles.Float, CultureInfo.InvariantCulture, out var elapsed) || parts[3].Length == 0)
        {
            return null;
        }

        return new PluginRecord(
            parts[1] == "call" ? PluginRecordKind.Call : PluginRecordKind.Log,
            level,
            parts[3],
            NullIfEmpty(parts[4]),
            NullIfEmpty(parts[5]),
            NullIfEmpty(parts[6]),
            elapsed,
            parts[8]);
    }

    /// <summary>A field between tabs: escaped like the message (<see cref="LogText"/>), so no tab or newline of its own.</summary>
    private static string Field(string? value) => value is null ? "" : LogText.Escape(value);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}

/// <summary>A log line, or the outcome of a call (message "ok" or "error CODE: text").</summary>
public enum PluginRecordKind
{
    Log,
    Call,
}
