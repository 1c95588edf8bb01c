using System.Text.Json.Nodes;
using Sluice.Net;

namespace Sluice.IpamPlugin.Tests;

/// <summary>A network configuration with its own data directory, and helpers to call sluice-ipam or host-local with it.</summary>
internal sealed class IpamNetwork : IDisposable
{
    public const string HostLocal = "/usr/lib/cni/host-local";

    private readonly TempDirectory _dir = new("sluice-ipam");

    public IpamNetwork(string ranges = """[[{"subnet":"10.77.0.0/24"}],[{"subnet":"fd77::/120"}]]""", string version = "1.1.0", string name = "ipamtest")
    {
        Name = name;
        Ranges = ranges;
        Version = version;
    }

    public string Name { get; }

    public string Ranges { get; }

    public string Version { get; }

    public string DataDir => _dir.Combine("data");

    public string StoreDir => Path.Combine(DataDir, Name);

    /// <summary>The configuration; host-local gets 1.0.0, the newest version Debian's reference plugins speak.</summary>
    public string Config(string type = "sluice-ipam", string extra = "") =>
        $$"""{"cniVersion":"{{(type == "host-local" ? "1.0.0" : Version)}}","name":"{{Name}}","type":"{{type}}","ipam":{"type":"{{type}}","ranges":{{Ranges}},"dataDir":"{{DataDir}}"}{{extra}}}""";

    public ProcessResult Run(string command, string containerId, string ifName = "eth0", string binary = "", string extra = "", string args = "", string? config = null)
    {
        var path = binary.Length > 0 ? binary : RepoPaths.Binary("sluice-ipam");
        var type = path == HostLocal ? "host-local" : "sluice-ipam";
        var netns = command is "ADD" or "CHECK" ? "/var/run/netns/unused" : "";
        return new CniInvocation(command, containerId, netns, ifName, args, "/usr/lib/cni").Run(path, config ?? Config(type, extra));
    }

    public JsonObject Add(string containerId, string ifName = "eth0", string binary = "")
    {
        var result = Run("ADD", containerId, ifName, binary);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsObject();
    }

    /// <summary>The address files in the store, as host-local would list them.</summary>
    public Dictionary<string, string> Records() =>
        !Directory.Exists(StoreDir)
            ? []
            : Directory.EnumerateFiles(StoreDir)
                .Where(f => Sluice.Net.IpText.TryParse(Path.GetFileName(f), out _))
                .ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    public void Dispose() => _dir.Dispose();
}
