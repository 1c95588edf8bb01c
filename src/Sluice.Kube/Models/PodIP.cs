using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>One of a pod's addresses (a dual-stack pod has one per family).</summary>
public sealed class PodIP
{
    public static JsonShape<PodIP> Shape { get; } = new JsonShape<PodIP>(() => new PodIP(), KeyMatch.Exact)
        .Text("ip", p => p.Ip, (p, v) => p.Ip = v);

    public string? Ip { get; set; }
}
