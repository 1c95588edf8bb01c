namespace Sluice.Cni.Logging;

/// <summary>Implemented by plugin configurations that carry <c>logLevel</c> and <c>logFile</c>.</summary>
public interface ILogOptions
{
    string? LogLevel { get; }

    string? LogFile { get; }
}
