using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>
/// A Sluice plugin's configuration: the spec's keys plus the logging keys every Sluice plugin
/// takes (<c>logLevel</c>, <c>logFile</c>, <c>logSocket</c>). The dispatcher applies them before
/// the command runs.
/// </summary>
public class PluginConfig : NetworkConfig
{
    /// <summary>The spec's keys and the logging keys, declared once for every Sluice plugin.</summary>
    public static new IReadOnlyList<JsonField<PluginConfig>> Keys { get; } = new JsonShape<PluginConfig>(() => new PluginConfig())
        .Include(NetworkConfig.Keys)
        .Text("logLevel", c => c.LogLevel, (c, v) => c.LogLevel = v)
        .Text("logFile", c => c.LogFile, (c, v) => c.LogFile = v)
        .Text("logSocket", c => c.LogSocket, (c, v) => c.LogSocket = v)
        .Fields;

    /// <summary><c>debug</c>, <c>info</c>, <c>warn</c> or <c>error</c>.</summary>
    public string? LogLevel { get; set; }

    /// <summary>A file the plugin appends its log to (besides stderr and sluice-agent).</summary>
    public string? LogFile { get; set; }

    /// <summary>sluice-agent's log socket as configured: null for the default (<see cref="Logging.CniLog.DefaultAgentSocket"/>), empty for none.</summary>
    public string? LogSocket { get; set; }
}
