using System.Globalization;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>One warning or error a plugin reported to the agent: when, which plugin and call, for which pod, and what (escaped, one line).</summary>
public sealed class PluginError
{
    public static JsonShape<PluginError> Shape { get; } = new JsonShape<PluginError>(() => new PluginError(), KeyMatch.Exact)
        .Text("time", e => e.Time.ToString("O", CultureInfo.InvariantCulture), (e, v) => e.Time = DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : default)
        .Text("plugin", e => e.Plugin, (e, v) => e.Plugin = v ?? "")
        .Text("command", e => e.Command, (e, v) => e.Command = v)
        .Text("pod", e => e.Pod, (e, v) => e.Pod = v)
        .Text("message", e => e.Message, (e, v) => e.Message = v ?? "");

    public DateTimeOffset Time { get; set; }

    public string Plugin { get; set; } = "";

    public string? Command { get; set; }

    public string? Pod { get; set; }

    public string Message { get; set; } = "";
}
