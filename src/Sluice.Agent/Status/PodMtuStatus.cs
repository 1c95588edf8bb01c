using Sluice.Agent.Network;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>The pods' MTU the agent last wrote into the pod network's configuration, where it came from, and why none was, if so.</summary>
public sealed class PodMtuStatus
{
    public static JsonShape<PodMtuStatus> Shape { get; } = new JsonShape<PodMtuStatus>(() => new PodMtuStatus(), KeyMatch.Exact)
        .Int32("value", m => m.Value, (m, v) => m.Value = v)
        .Text("source", m => m.Source, (m, v) => m.Source = v ?? "")
        .Text("warning", m => m.Warning, (m, v) => m.Warning = v);

    /// <summary>Null: no mtu in the configuration (sluice-bridge's default).</summary>
    public int? Value { get; set; }

    public string Source { get; set; } = "";

    public string? Warning { get; set; }

    public static PodMtuStatus From(PodMtu mtu)
    {
        ArgumentNullException.ThrowIfNull(mtu);
        return new() { Value = mtu.Value, Source = mtu.Source, Warning = mtu.Warning };
    }
}
