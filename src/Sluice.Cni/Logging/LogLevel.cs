namespace Sluice.Cni.Logging;

public enum LogLevel
{
    Debug,
    Info,
    Warn,
    Error,
}

public static class LogLevels
{
    /// <summary>
    /// Parses a level name. Accepts the names Istio's and MSM's configs use (<c>warning</c>,
    /// <c>panic</c>, <c>fatal</c>, <c>none</c>) so existing configs keep working.
    /// </summary>
    public static bool TryParse(string? text, out LogLevel level)
    {
        switch (text?.Trim().ToUpperInvariant())
        {
            case "DEBUG" or "TRACE":
                level = LogLevel.Debug;
                return true;
            case "INFO":
                level = LogLevel.Info;
                return true;
            case "WARN" or "WARNING":
                level = LogLevel.Warn;
                return true;
            case "ERROR" or "PANIC" or "FATAL" or "NONE":
                level = LogLevel.Error;
                return true;
            default:
                level = LogLevel.Warn;
                return false;
        }
    }

    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Debug => "debug",
        LogLevel.Info => "info",
        LogLevel.Warn => "warn",
        _ => "error",
    };
}
