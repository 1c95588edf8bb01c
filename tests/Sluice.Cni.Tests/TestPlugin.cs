using System.Text;
using Sluice.Cni.Config;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Json;

namespace Sluice.Cni.Tests;

public sealed class TestPluginConfig : PluginConfig
{
    public static JsonShape<TestPluginConfig> Shape { get; } = new JsonShape<TestPluginConfig>(() => new TestPluginConfig())
        .Include(PluginConfig.Keys)
        .Int32("mtu", c => c.Mtu, (c, v) => c.Mtu = v);

    public int? Mtu { get; set; }
}

/// <summary>A plugin whose functions record what they were given; each can be made to throw.</summary>
internal sealed class TestPlugin
{
    public CniRequest<TestPluginConfig>? Last { get; private set; }

    public List<string> Calls { get; } = [];

    public Exception? Throw { get; set; }

    public CniResult Result { get; set; } = new()
    {
        Interfaces = [new() { Name = "eth0", Sandbox = "/var/run/netns/pod", Mtu = 1500 }],
        Ips = [new() { Address = "10.1.0.2/24", Gateway = "10.1.0.1", Interface = 0 }],
    };

    public CniPlugin<TestPluginConfig, TestPluginConfig> Definition => new()
    {
        Name = "test-plugin",
        Config = TestPluginConfig.Shape,
        Settings = (config, _) => config,
        Add = request => Record("ADD", request) ?? Result,
        Del = request => Record("DEL", request),
        Check = request => Record("CHECK", request),
        Status = request => Record("STATUS", request),
        Gc = request => Record("GC", request),
    };

    public (int Exit, string Stdout, string Stderr) Run(string? stdin, params (string Key, string Value)[] env) =>
        Run(Encoding.UTF8.GetBytes(stdin ?? ""), env);

    /// <summary>Runs with raw bytes on stdin (not necessarily UTF-8).</summary>
    public (int Exit, string Stdout, string Stderr) Run(byte[] stdin, params (string Key, string Value)[] env)
    {
        var map = env.ToDictionary(p => p.Key, p => p.Value);
        var stdout = new MemoryStream();
        var stderr = new StringWriter();
        var io = new CniIo(map.GetValueOrDefault, new MemoryStream(stdin), stdout, stderr);
        var exit = CniDispatcher.Run(Definition, io);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    private CniResult? Record(string command, CniRequest<TestPluginConfig> request)
    {
        Calls.Add(command);
        Last = request;
        return Throw is { } error ? throw error : null;
    }
}
