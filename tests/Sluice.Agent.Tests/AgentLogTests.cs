namespace Sluice.Agent.Tests;

/// <summary>The agent's log (what <c>kubectl logs</c> shows) keeps one record per line whatever the values hold (issue 17: log forging).</summary>
public sealed class AgentLogTests
{
    /// <remarks>Fails on 493b7e3: the message was written as it came, so its newline started a forged record.</remarks>
    [Theory]
    [InlineData("pod shop/web\n2026-12-01T12:00:00.000Z info sluice-agent: ready", "pod shop/web\\n2026-12-01T12:00:00.000Z info sluice-agent: ready")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("\u001b[31mred\u001b[0m", "\\x1b[31mred\\x1b[0m")]
    [InlineData("line\u2028separator", "line\\u2028separator")]
    public void Write_MessageWithControlCharacters_IsOneLineWithThemEscaped(string message, string written)
    {
        using var output = new StringWriter();
        var log = new AgentLog(output, "info");

        log.Warn(message);

        var text = output.ToString();
        Assert.Equal(1, text.Count(c => c == '\n'));
        Assert.EndsWith($" warn sluice-agent: {written}\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_PlainMessage_IsWrittenAsItIs()
    {
        using var output = new StringWriter();
        var log = new AgentLog(output, "debug");

        log.Debug("binaries in /host/opt/cni/bin: 3 written, ünïcode kept, \\n as typed");

        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z debug sluice-agent: binaries in /host/opt/cni/bin: 3 written, ünïcode kept, \\n as typed\n$", output.ToString());
    }
}
