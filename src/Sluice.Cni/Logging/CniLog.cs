namespace Sluice.Cni.Logging;

/// <summary>
/// A plugin's log. It never writes to stdout (stdout carries the result); records go to stderr
/// and, when configured, to a log file and further sinks, each filtered by <see cref="Level"/>.
/// </summary>
public sealed class CniLog : IDisposable
{
    private readonly List<ILogSink> _sinks = [];
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();
    private readonly ILogSink _stderr;
    private AgentSink? _agent;

    public CniLog(string component, TextWriter stderr)
    {
        Component = component;
        _stderr = new TextWriterSink(stderr);
        _sinks.Add(_stderr);
    }

    /// <summary>Where sluice-agent receives the plugins' records unless a configuration says otherwise.</summary>
    public const string DefaultAgentSocket = "/var/run/sluice/log.sock";

    /// <summary>A log that writes nowhere (for code paths without a caller-supplied log).</summary>
    public static CniLog Null { get; } = new("null", TextWriter.Null);

    public string Component { get; }

    public LogLevel Level { get; set; } = LogLevel.Warn;

    public string? Command { get; set; }

    public string? ContainerId { get; set; }

    public string? Pod { get; set; }

    public bool IsEnabled(LogLevel level) => level >= Level;

    public void AddFile(string path) => _sinks.Add(new FileSink(path, _stderr));

    public void AddSink(ILogSink sink) => _sinks.Add(sink);

    /// <summary>Sends records to sluice-agent at <paramref name="socketPath"/>; while it cannot take them, to <paramref name="fallbackFile"/> (if any).</summary>
    public void ForwardTo(string socketPath, string? fallbackFile)
    {
        _agent = new AgentSink(socketPath, string.IsNullOrEmpty(fallbackFile) ? null : new FileSink(fallbackFile, _stderr));
        _sinks.Add(_agent);
    }

    /// <summary>Tells the agent how the call ended (<c>ok</c>, or <c>error CODE: text</c>) and how long it took; nothing without an agent.</summary>
    public void EndCall(string outcome)
    {
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        _agent?.Call(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, Component, Command, ContainerId, Pod, elapsed, outcome));
    }

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Info(string message) => Write(LogLevel.Info, message);

    public void Warn(string message) => Write(LogLevel.Warn, message);

    public void Error(string message) => Write(LogLevel.Error, message);

    public void Write(LogLevel level, string message)
    {
        if (!IsEnabled(level))
        {
            return;
        }

        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
        var record = new LogRecord(DateTimeOffset.UtcNow, level, Component, Command, ContainerId, Pod, message, elapsed);
        foreach (var sink in _sinks)
        {
            sink.Write(record);
        }
    }

    public void Dispose()
    {
        foreach (var sink in _sinks)
        {
            sink.Dispose();
        }
    }
}
