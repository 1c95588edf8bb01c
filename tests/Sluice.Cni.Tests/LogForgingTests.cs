using Sluice.Cni.Logging;

namespace Sluice.Cni.Tests;

/// <summary>A control character in any logged value never starts a new line (issue 17: log forging).</summary>
public sealed class LogForgingTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("a\nb", "a\\nb")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("esc\u001b[31mred", "esc\\x1b[31mred")]
    [InlineData("nul\0", "nul\\x00")]
    [InlineData("del\u007f", "del\\x7f")]
    [InlineData("nel\u0085", "nel\\x85")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("plain text, ünïcode and \\n as written", "plain text, ünïcode and \\n as written")]
    public void Escape_MakesEveryControlCharacterVisible(string value, string escaped) =>
        Assert.Equal(escaped, LogText.Escape(value));

    [Fact]
    public void Format_ValuesWithNewlines_StayOneLine()
    {
        var forged = "x\n2026-12-01T12:00:00.000Z error sluice-redirect ADD: capture disabled";
        var record = new LogRecord(Noon, LogLevel.Info, "sluice-redirect", "ADD", "c1\nfake", "shop/web\r\n0", forged, 1.5);

        var line = record.Format();

        Assert.DoesNotContain('\n', line);
        Assert.DoesNotContain('\r', line);
        Assert.EndsWith(": x\\n2026-12-01T12:00:00.000Z error sluice-redirect ADD: capture disabled", line, StringComparison.Ordinal);
        Assert.Contains(" pod=shop/web\\r\\n0 ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void PluginRecord_ValuesWithTabsAndNewlines_StayOneDatagramLine()
    {
        var record = new PluginRecord(PluginRecordKind.Log, LogLevel.Warn, "sluice-redirect", "ADD", "c1", "shop/a\tb", 2, "line1\nline2");
        var decoded = PluginRecord.TryDecode(record.Encode());
        Assert.NotNull(decoded);
        Assert.Equal("shop/a\\tb", decoded.Value.Pod);
        Assert.Equal("line1\\nline2", decoded.Value.Message);
    }

    [Fact]
    public void Dispatcher_PodNameWithANewline_WritesOneLinePerRecordToStderr()
    {
        var plugin = new TestPlugin();
        var (_, _, stderr) = plugin.Run(
            """{"cniVersion":"1.1.0","name":"net","type":"test","logLevel":"debug","logSocket":""}""",
            ("CNI_COMMAND", "ADD"), ("CNI_CONTAINERID", "c1"), ("CNI_NETNS", "/var/run/netns/pod"), ("CNI_IFNAME", "eth0"),
            ("CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web\n2026-12-01T00:00:00.000Z error forged"));

        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(@"^\d{4}-\d\d-\d\dT", line));
        Assert.DoesNotContain(lines, line => line.StartsWith("2026-12-01T00:00:00.000Z error forged", StringComparison.Ordinal));
    }
}
