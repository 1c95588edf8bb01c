using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A pod's observed state: its phase, the addresses it was given and how its init containers ended.</summary>
public sealed class PodStatus
{
    public static JsonShape<PodStatus> Shape { get; } = new JsonShape<PodStatus>(() => new PodStatus(), KeyMatch.Exact)
        .Text("phase", s => s.Phase, (s, v) => s.Phase = v)
        .Text("podIP", s => s.PodIP, (s, v) => s.PodIP = v)
        .List("podIPs", Models.PodIP.Shape, s => s.PodIPs, (s, v) => s.PodIPs = v ?? [])
        .List("initContainerStatuses", ContainerStatus.Shape, s => s.InitContainerStatuses, (s, v) => s.InitContainerStatuses = v ?? []);

    public string? Phase { get; set; }

    public string? PodIP { get; set; }

    public List<PodIP> PodIPs { get; set; } = [];

    public List<ContainerStatus> InitContainerStatuses { get; set; } = [];
}
