using System.Net.Sockets;
using Sluice.Agent.Plugins;
using Sluice.Cni.Logging;

namespace Sluice.Agent.Tests;

public sealed class PluginLogServerTests : IDisposable
{
    private readonly TempDirectory _dir = new("plugin-logs");
    private readonly StringWriter _output = new();
    private readonly PluginCallMetrics _metrics = new();
    private readonly PluginLogServer _server;

    public PluginLogServerTests()
    {
        _server = new PluginLogServer(_dir.Combine("run", "log.sock"), new AgentLog(TextWriter.Synchronized(_output), "debug"), _metrics);
    }

    public void Dispose()
    {
        _server.Dispose();
        _dir.Dispose();
        _output.Dispose();
    }

    private void Send(PluginRecord record)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.SendTo(record.Encode(), new UnixDomainSocketEndPoint(_server.Path));
    }

    private string WaitForLine(string fragment)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!_output.ToString().Contains(fragment, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no log line with '{fragment}' in:\n{_output}");
            Thread.Sleep(10);
        }

        return _output.ToString().Split('\n').First(l => l.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void PluginRecord_AppearsInTheAgentLogUnderThePluginsName()
    {
        Send(new PluginRecord(PluginRecordKind.Log, LogLevel.Warn, "sluice-redirect", "ADD", "0123456789abcdef", "shop/web-0", 3.25, "pod lookup took 2 tries"));

        var line = WaitForLine("pod lookup took 2 tries");

        Assert.Matches(@"^\S+Z warn sluice-redirect ADD container=0123456789ab pod=shop/web-0 \+3\.2ms: pod lookup took 2 tries$", line);
    }

    [Fact]
    public void CallOutcomes_AreLoggedWithDurationAndCountedByResult()
    {
        Send(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, "sluice-bridge", "ADD", "c1", "shop/web-0", 9.8, "ok"));
        Send(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, "sluice-bridge", "ADD", "c2", "shop/web-1", 1500, "error 11: the pool is exhausted"));

        Assert.Matches(@" info sluice-bridge ADD container=c1 pod=shop/web-0: ok in 9\.8 ms$", WaitForLine("container=c1"));
        Assert.Matches(@" warn sluice-bridge ADD container=c2 pod=shop/web-1: error 11: the pool is exhausted in 1500\.0 ms$", WaitForLine("container=c2"));
        Assert.Equal(1, _metrics.Calls("sluice-bridge", "ADD", "ok"));
        Assert.Equal(1, _metrics.Calls("sluice-bridge", "ADD", "11"));
    }

    [Fact]
    public void RecordsQueuedWhenTheAgentStops_AreAllLogged_AndLaterPluginsFindNoSocket()
    {
        // As at a SIGTERM just after a burst of pod deletions: the records are in the socket's
        // queue, not yet read, when the agent stops.
        for (var i = 0; i < 200; i++)
        {
            Send(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, "sluice-bridge", "DEL", $"queued-{i}", "shop/web-0", 1, "ok"));
        }

        _server.Dispose();

        var logged = _output.ToString().Split('\n').Count(l => l.Contains("container=queued-", StringComparison.Ordinal));
        Assert.Equal(200, logged);
        Assert.Equal(200, _metrics.Calls("sluice-bridge", "DEL", "ok"));
        Assert.False(File.Exists(_server.Path));
        Assert.Throws<SocketException>(() => Send(new PluginRecord(PluginRecordKind.Call, LogLevel.Info, "sluice-bridge", "DEL", "late", "shop/web-0", 1, "ok")));
    }

    [Fact]
    public void Metrics_RenderCountsAndACumulativeLatencyHistogram()
    {
        _metrics.Record("sluice-ipam", "DEL", "ok", 0.004);
        _metrics.Record("sluice-ipam", "DEL", "ok", 0.2);
        var text = new System.Text.StringBuilder();

        _metrics.Render(text);

        var metrics = text.ToString();
        Assert.Contains("sluice_plugin_calls_total{plugin=\"sluice-ipam\",command=\"DEL\",result=\"ok\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("sluice_plugin_call_duration_seconds_bucket{plugin=\"sluice-ipam\",command=\"DEL\",le=\"0.005\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("sluice_plugin_call_duration_seconds_bucket{plugin=\"sluice-ipam\",command=\"DEL\",le=\"0.25\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("sluice_plugin_call_duration_seconds_bucket{plugin=\"sluice-ipam\",command=\"DEL\",le=\"+Inf\"} 2\n", metrics, StringComparison.Ordinal);
        Assert.Contains("sluice_plugin_call_duration_seconds_count{plugin=\"sluice-ipam\",command=\"DEL\"} 2\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public void Datagrams_ThatAreNoRecord_AreIgnored()
    {
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            socket.SendTo("hello"u8.ToArray(), new UnixDomainSocketEndPoint(_server.Path));
        }

        Send(new PluginRecord(PluginRecordKind.Log, LogLevel.Info, "sluice-ipam", "ADD", null, null, 1, "after the noise"));

        WaitForLine("after the noise");
        Assert.DoesNotContain("hello", _output.ToString(), StringComparison.Ordinal);
    }

    /// <remarks>Fails on 493b7e3: the message (a datagram's last field) went into the agent's log as it came, newline and all.</remarks>
    [Fact]
    public void Datagram_WithNewlinesInItsValues_IsOneLineInTheAgentLog()
    {
        const string Forged = "2026-12-01T12:00:00.000Z info sluice-redirect ADD pod=shop/web: capture installed";
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            // Written by hand, as any process that can reach the socket may: the plugin's own encoder is not the only sender.
            var wire = $"sluice1\tlog\twarn\tsluice-redirect\tADD\tc1\tshop/web\r\n\t1.00\tannotation is bad\n{Forged}\r\u001b[2K";
            socket.SendTo(System.Text.Encoding.UTF8.GetBytes(wire), new UnixDomainSocketEndPoint(_server.Path));
        }

        var line = WaitForLine("annotation is bad");

        Assert.EndsWith($"pod=shop/web\\r\\n +1.0ms: annotation is bad\\n{Forged}\\r\\x1b[2K", line, StringComparison.Ordinal);
        Assert.DoesNotContain(_output.ToString().Split('\n'), l => l.StartsWith(Forged, StringComparison.Ordinal));
    }

    /// <remarks>Fails on 493b7e3: the first 8193 bytes of a longer datagram were decoded and logged.</remarks>
    [Fact]
    public void Datagram_LongerThanARecordMayBe_IsDroppedWhole()
    {
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified))
        {
            var wire = "sluice1\tlog\twarn\tsluice-redirect\tADD\tc1\tshop/web\t1.00\toversize " + new string('x', PluginRecord.MaxBytes);
            socket.SendTo(System.Text.Encoding.UTF8.GetBytes(wire), new UnixDomainSocketEndPoint(_server.Path));
        }

        Send(new PluginRecord(PluginRecordKind.Log, LogLevel.Info, "sluice-redirect", "ADD", "c2", "shop/web", 1, "after the big one"));
        WaitForLine("after the big one");

        Assert.DoesNotContain("oversize", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"dropped: over {PluginRecord.MaxBytes} bytes", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Socket_IsRootOnly() =>
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_server.Path));
}
