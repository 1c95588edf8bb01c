using System.Text;
using System.Text.RegularExpressions;
using Sluice.Agent.Plugins;

namespace Sluice.Agent.Tests.Health;

/// <summary>The plugin call metrics as Prometheus text: label values escaped, and the number of label sets bounded whatever the plugins report.</summary>
public sealed partial class PluginCallMetricsTests
{
    /// <summary>A sample line of the text format: name, optional labels with escaped values, a value.</summary>
    [GeneratedRegex("""^[a-z_]+(\{([a-z_]+="([^"\\\n]|\\\\|\\"|\\n)*",?)*\})? [0-9.eE+-]+$""")]
    private static partial Regex SampleLine();

    private static string Render(PluginCallMetrics metrics)
    {
        var text = new StringBuilder();
        metrics.Render(text);
        return text.ToString();
    }

    /// <remarks>Fails on 493b7e3: the name went into the label as it came, quotes and newline included.</remarks>
    [Fact]
    public void Render_PluginNameWithQuotesBackslashAndNewline_IsEscapedAndEveryLineStaysASample()
    {
        var metrics = new PluginCallMetrics();
        metrics.Record("evil\"} 1\nsluice_agent_ready{x=\"\\", "ADD", "ok", 0.003);

        var text = Render(metrics);

        Assert.Contains("""plugin="evil\"} 1\nsluice_agent_ready{x=\"\\",command="ADD",result="ok"} 1""", text, StringComparison.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
        {
            Assert.Matches(SampleLine(), line);
        }
    }

    /// <remarks>Fails on 493b7e3: 20,000 names gave 20,000 label sets (megabytes of /metrics).</remarks>
    [Fact]
    public void Record_TwentyThousandPluginNames_KeepsTheLabelSetsBoundedAndCountsTheRestAsOther()
    {
        var metrics = new PluginCallMetrics();
        for (var i = 0; i < 20_000; i++)
        {
            metrics.Record($"plugin-{i}", "ADD", "ok", 0.002);
        }

        var text = Render(metrics);

        Assert.True(text.Length < 200_000, $"/metrics is {text.Length} bytes");
        Assert.Equal(1, metrics.Calls("plugin-0", "ADD", "ok"));
        Assert.Equal(20_000 - PluginCallMetrics.MaxPlugins, metrics.Calls(PluginCallMetrics.Other, "ADD", "ok"));
        Assert.Contains($"plugin=\"{PluginCallMetrics.Other}\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ADD", "7", "ADD", "7")]
    [InlineData("FLUSH", "ok", "other", "ok")]
    [InlineData("DEL", "99999", "DEL", "other")]
    [InlineData("CHECK", "error", "CHECK", "error")]
    public void Record_UnknownCommandOrResult_IsCountedAsOther(string command, string result, string countedCommand, string countedResult)
    {
        var metrics = new PluginCallMetrics();

        metrics.Record("sluice-bridge", command, result, 0.01);

        Assert.Equal(1, metrics.Calls("sluice-bridge", countedCommand, countedResult));
    }
}
