using System.Globalization;
using Sluice.Linux.Namespaces;
using Sluice.TestSupport.Traffic;

namespace Sluice.Bench;

/// <summary>
/// One reading of containerd's Prometheus metrics (<c>/v1/metrics</c>): the cumulative seconds
/// its CRI spent in CNI (<c>network_plugin_operations_duration_seconds</c>, timed around
/// libcni's setup and teardown of the whole conflist, loopback included) and in handling each
/// CRI call (<c>grpc_server_handling_seconds</c>, with <c>grpc_histogram = true</c>).
/// </summary>
internal sealed class ContainerdMetrics(IReadOnlyDictionary<string, double> samples)
{
    public const string SetUp = "set_up_pod";
    public const string TearDown = "tear_down_pod";

    public static ContainerdMetrics Read(NetNs node, int port)
    {
        using var client = NodeHttp.Client(node, port, TimeSpan.FromSeconds(10));
        var text = client.GetStringAsync(new Uri("/v1/metrics", UriKind.Relative)).GetAwaiter().GetResult();
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.LastIndexOf(' ');
            if (line.Length > 0 && line[0] != '#' && space > 0 && double.TryParse(line[(space + 1)..], CultureInfo.InvariantCulture, out var value))
            {
                samples[line[..space]] = value;
            }
        }

        return new ContainerdMetrics(samples);
    }

    /// <summary>Seconds in CNI for <paramref name="operation"/> (<see cref="SetUp"/>, <see cref="TearDown"/>) and how many operations.</summary>
    public (double Seconds, double Count) Cni(string operation) =>
        (Find("network_plugin_operations_duration", "_sum", operation), Find("network_plugin_operations_duration", "_count", operation));

    /// <summary>Seconds containerd spent handling the CRI <paramref name="method"/> calls, and how many.</summary>
    public (double Seconds, double Count) Grpc(string method) =>
        (Find("grpc_server_handling_seconds", "_sum", $"grpc_method=\"{method}\""), Find("grpc_server_handling_seconds", "_count", $"grpc_method=\"{method}\""));

    private double Find(string metric, string suffix, string label) =>
        samples.Where(s => s.Key.Contains(metric, StringComparison.Ordinal) && s.Key.Contains(suffix + "{", StringComparison.Ordinal) && s.Key.Contains(label, StringComparison.Ordinal))
            .Sum(s => s.Value);
}
