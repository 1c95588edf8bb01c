using System.Diagnostics;
using System.Globalization;
using Sluice.Linux.Namespaces;
using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>One node namespace with a primary plugin chain to benchmark (sluice or the Debian reference).</summary>
internal sealed class PluginNode : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-bench");

    public PluginNode(string label, string binary, string config)
    {
        Label = label;
        Binary = binary;
        Node = TestNetns.Create("bn");
        NodeNs = Node.Open();
        Config = config.Replace("DATADIR", _dir.Combine("ipam"), StringComparison.Ordinal);
    }

    public string Label { get; }

    public string Binary { get; }

    public string Config { get; }

    public TestNetns Node { get; }

    public NetNs NodeNs { get; }

    /// <summary>Gateway, default route, hairpin mode, masquerade as asked (flannel's conflist has ipMasq false: flanneld masquerades).</summary>
    public static string SluiceConfig(string subnet, bool ipMasq = true) =>
        $$$"""{"cniVersion":"1.0.0","name":"benchnet","type":"sluice-bridge","bridge":"sluice0","isGateway":true,"isDefaultGateway":true,"hairpinMode":true,"ipMasq":{{{(ipMasq ? "true" : "false")}}},"ipam":{"type":"sluice-ipam","ranges":[[{"subnet":"{{{subnet}}}"}]],"dataDir":"DATADIR"}}""";

    public static string ReferenceConfig(string subnet, bool ipMasq = true) =>
        $$$"""{"cniVersion":"1.0.0","name":"benchnet","type":"bridge","bridge":"cni0","isGateway":true,"isDefaultGateway":true,"hairpinMode":true,"ipMasq":{{{(ipMasq ? "true" : "false")}}},"ipam":{"type":"host-local","ranges":[[{"subnet":"{{{subnet}}}"}]],"dataDir":"DATADIR"}}""";

    /// <summary>Runs one command for a pod; returns wall milliseconds. Fails loudly when the plugin fails.</summary>
    public double Run(string command, string containerId, string netns)
    {
        var env = new CniInvocation(command, containerId, netns, "eth0", "", $"{RepoPaths.BinDirectory}:/usr/lib/cni").Environment();
        var watch = Stopwatch.StartNew();
        var result = ProcessRunner.RunIn(NodeNs, Binary, env, Config);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        return result.ExitCode == 0 ? elapsed : throw new InvalidOperationException($"{Label} {command} {containerId} failed: {result}");
    }

    /// <summary>Peak resident memory of one invocation (KiB), measured by GNU time.</summary>
    public long PeakRssKib(string command, string containerId, string netns)
    {
        var env = new CniInvocation(command, containerId, netns, "eth0", "", $"{RepoPaths.BinDirectory}:/usr/lib/cni").Environment();
        var result = ProcessRunner.RunIn(NodeNs, "/usr/bin/time", env, Config, ["-f", "maxrss=%M", Binary]);
        var line = result.Stderr.Split('\n').Last(l => l.StartsWith("maxrss=", StringComparison.Ordinal));
        return result.ExitCode == 0 ? long.Parse(line[7..], CultureInfo.InvariantCulture) : throw new InvalidOperationException($"{Label} {command} failed: {result}");
    }

    public void Dispose()
    {
        NodeNs.Dispose();
        Node.Dispose();
        _dir.Dispose();
    }
}
