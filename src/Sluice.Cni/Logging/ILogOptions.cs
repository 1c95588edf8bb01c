namespace Sluice.Cni.Logging;

/// <summary>Implemented by plugin configurations that carry <c>logLevel</c>, <c>logFile</c> and <c>logSocket</c>.</summary>
public interface ILogOptions
{
    string? LogLevel { get; }

    string? LogFile { get; }

    /// <summary>sluice-agent's log socket as configured: null for the default (<see cref="CniLog.DefaultAgentSocket"/>), empty for none.</summary>
    string? LogSocket { get; }
}
