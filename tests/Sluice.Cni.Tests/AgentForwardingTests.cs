using System.Net.Sockets;
using Sluice.Cni.Logging;

namespace Sluice.Cni.Tests;

/// <summary>Plugins forward their log records and each call's outcome to sluice-agent's datagram socket, falling back to the log file without it.</summary>
public sealed class AgentForwardingTests : IDisposable
{
    private static readonly (string, string)[] AddEnv =
        [("CNI_COMMAND", "ADD"), ("CNI_CONTAINERID", "c0ffee0123456789"), ("CNI_NETNS", "/var/run/netns/pod"), ("CNI_IFNAME", "eth0"), ("CNI_PATH", "/opt/cni/bin"), ("CNI_ARGS", "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-0")];

    private readonly TempDirectory _dir = new("forwarding");
    private readonly Socket _agent = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public AgentForwardingTests()
    {
        _agent.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _agent.ReceiveTimeout = 2000;
    }

    private string SocketPath => _dir.Combine("log.sock");

    public void Dispose()
    {
        _agent.Dispose();
        _dir.Dispose();
    }

    private static string Config(string extra) => $$"""{"cniVersion":"1.1.0","name":"net1","type":"test-plugin"{{extra}}}""";

    private List<PluginRecord> Received()
    {
        var records = new List<PluginRecord>();
        var buffer = new byte[PluginRecord.MaxBytes];
        while (_agent.Available > 0)
        {
            var length = _agent.Receive(buffer);
            records.Add(PluginRecord.TryDecode(buffer.AsSpan(0, length)) ?? throw new InvalidOperationException("undecodable datagram"));
        }

        return records;
    }

    [Fact]
    public void Add_WithAgentListening_SendsItsRecordsThenTheOutcomeWithContainerAndPod()
    {
        var run = new TestPlugin().Run(Config($$""","logLevel":"debug","logSocket":"{{SocketPath}}" """), AddEnv);

        Assert.Equal(0, run.Exit);
        var records = Received();
        Assert.Contains(records, r => r.Kind == PluginRecordKind.Log && r.Message.StartsWith("done in", StringComparison.Ordinal));
        var call = records[^1];
        Assert.Equal((PluginRecordKind.Call, "test-plugin", "ADD", "c0ffee0123456789", "shop/web-0", "ok"), (call.Kind, call.Component, call.Command, call.ContainerId, call.Pod, call.Message));
        Assert.True(call.ElapsedMs > 0);
    }

    [Fact]
    public void FailedAdd_SendsTheErrorCodeAndMessageAsTheOutcome()
    {
        var plugin = new TestPlugin { Throw = new CniException(CniErrorCode.InvalidNetworkConfig, "field 'mtu' is wrong") };

        Assert.Equal(1, plugin.Run(Config($$""","logSocket":"{{SocketPath}}" """), AddEnv).Exit);

        var call = Received().Single(r => r.Kind == PluginRecordKind.Call);
        Assert.Equal("error 7: field 'mtu' is wrong", call.Message);
    }

    [Fact]
    public void NoAgent_RecordsGoToTheLogFileInstead()
    {
        var logFile = _dir.Combine("plugin.log");
        var missing = _dir.Combine("nobody.sock");

        Assert.Equal(0, new TestPlugin().Run(Config($$""","logLevel":"info","logSocket":"{{missing}}","logFile":"{{logFile}}" """), AddEnv).Exit);

        Assert.Contains("done in", File.ReadAllText(logFile), StringComparison.Ordinal);
    }

    [Fact]
    public void AgentListening_LogFileStaysEmpty()
    {
        var logFile = _dir.Combine("plugin.log");

        Assert.Equal(0, new TestPlugin().Run(Config($$""","logLevel":"info","logSocket":"{{SocketPath}}","logFile":"{{logFile}}" """), AddEnv).Exit);

        Assert.False(File.Exists(logFile));
        Assert.NotEmpty(Received());
    }

    [Fact]
    public void EmptyLogSocket_TurnsForwardingOff()
    {
        Assert.Equal(0, new TestPlugin().Run(Config(""","logLevel":"debug","logSocket":"" """), AddEnv).Exit);

        Assert.Empty(Received());
    }

    [Theory]
    [InlineData("run/log.sock")]
    [InlineData("/a-path-that-is-far-too-long-for-a-unix-socket-address-because-sun_path-holds-one-hundred-and-eight-bytes.sock")]
    public void UnusableLogSocket_FailsWithCode7NamingTheField(string path)
    {
        var (_, stdout, _) = new TestPlugin().Run(Config($$""","logSocket":"{{path}}" """), AddEnv);

        Assert.Contains($"field 'logSocket' '{path}'", stdout, StringComparison.Ordinal);
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, (int)System.Text.Json.Nodes.JsonNode.Parse(stdout)!["code"]!);
    }

    [Theory]
    [InlineData("sluice1\tlog\tinfo\tsluice-bridge\tADD\tc1\tns/p\t1.50\tmessage with an escaped \\t tab")]
    [InlineData("sluice1\tcall\twarn\tsluice-ipam\tDEL\t\t\t0.25\terror 11: busy")]
    public void Record_RoundTripsThroughItsWireForm(string wire)
    {
        var record = PluginRecord.TryDecode(System.Text.Encoding.UTF8.GetBytes(wire))!.Value;

        Assert.Equal(wire, System.Text.Encoding.UTF8.GetString(record.Encode()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("sluice2\tlog\tinfo\tx\tADD\tc\tp\t1\tm")]
    [InlineData("sluice1\tlog\tloud\tx\tADD\tc\tp\t1\tm")]
    [InlineData("sluice1\tlog\tinfo\tx\tADD\tc\tp\tfast\tm")]
    [InlineData("sluice1\tlog\tinfo\tx")]
    public void Record_RefusesWhatIsNotOne(string wire) =>
        Assert.Null(PluginRecord.TryDecode(System.Text.Encoding.UTF8.GetBytes(wire)));
}
