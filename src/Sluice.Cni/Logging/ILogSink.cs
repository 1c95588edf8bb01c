namespace Sluice.Cni.Logging;

/// <summary>Somewhere log records go. Sinks never throw: logging must not fail a pod.</summary>
public interface ILogSink : IDisposable
{
    void Write(in LogRecord record);
}
