using System.Globalization;
using System.Text;

namespace Sluice.Agent.Plugins;

/// <summary>
/// Plugin calls on this node as the plugins reported them: a count per plugin, command and
/// result, and a latency histogram per plugin and command (Prometheus text format, label values
/// escaped). The reports come from any process that can write to the log socket, so the label
/// sets are bounded: a command that is not a CNI one, a result that is not <c>ok</c>,
/// <c>error</c> or a CNI error code, a plugin name past the first <see cref="MaxPlugins"/>, and
/// any label set past <see cref="MaxLabelSets"/> are counted as <see cref="Other"/>.
/// </summary>
public sealed class PluginCallMetrics
{
    /// <summary>Bucket bounds in seconds: a plugin call is milliseconds when healthy, seconds when something waits.</summary>
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Distinct plugin names counted under their own name (Sluice has three plugins; a node runs a handful).</summary>
    public const int MaxPlugins = 32;

    /// <summary>Distinct (plugin, command, result) sets of the call counter.</summary>
    public const int MaxLabelSets = 512;

    /// <summary>What stands for a label value past the bounds.</summary>
    public const string Other = "other";

    private static readonly HashSet<string> Commands = new(StringComparer.Ordinal) { "ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION" };

    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Plugin, string Command, string Result), long> _calls = [];
    private readonly SortedDictionary<(string Plugin, string Command), Health.DurationHistogram> _latency = [];
    private readonly HashSet<string> _plugins = new(StringComparer.Ordinal);

    public void Record(string plugin, string command, string result, double seconds)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        command = Commands.Contains(command) ? command : Other;
        result = IsResult(result) ? result : Other;
        lock (_lock)
        {
            if (!_plugins.Contains(plugin))
            {
                plugin = _plugins.Count < MaxPlugins ? plugin : Other;
                _plugins.Add(plugin);
            }

            if (!_calls.ContainsKey((plugin, command, result)) && _calls.Count >= MaxLabelSets)
            {
                (plugin, command, result) = (Other, Other, Other);
            }

            _calls[(plugin, command, result)] = _calls.GetValueOrDefault((plugin, command, result)) + 1;
            if (!_latency.TryGetValue((plugin, command), out var histogram))
            {
                _latency[(plugin, command)] = histogram = new Health.DurationHistogram(Buckets);
            }

            histogram.Observe(seconds);
        }
    }

    public long Calls(string plugin, string command, string result)
    {
        lock (_lock)
        {
            return _calls.GetValueOrDefault((plugin, command, result));
        }
    }

    public void Render(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        lock (_lock)
        {
            text.Append("# HELP sluice_plugin_calls_total Plugin calls on this node by plugin, command and result (ok or the CNI error code).\n# TYPE sluice_plugin_calls_total counter\n");
            foreach (var ((plugin, command, result), count) in _calls)
            {
                text.Append(CultureInfo.InvariantCulture, $"sluice_plugin_calls_total{{plugin=\"{Health.PrometheusText.Escape(plugin)}\",command=\"{command}\",result=\"{result}\"}} {count}\n");
            }

            text.Append("# HELP sluice_plugin_call_duration_seconds Plugin call duration by plugin and command, as the plugin measured it.\n# TYPE sluice_plugin_call_duration_seconds histogram\n");
            foreach (var ((plugin, command), histogram) in _latency)
            {
                histogram.Render(text, "sluice_plugin_call_duration_seconds", $"plugin=\"{Health.PrometheusText.Escape(plugin)}\",command=\"{command}\"");
            }
        }
    }

    /// <summary><c>ok</c>, <c>error</c>, or a CNI error code (1-999).</summary>
    private static bool IsResult(string result) =>
        result is "ok" or "error" || (result.Length is > 0 and <= 3 && result.All(char.IsAsciiDigit) && result[0] != '0');
}
