namespace Sluice.Kube.Models;

/// <summary>A pod's observed state: its phase, the addresses it was given and how its init containers ended.</summary>
public sealed class PodStatus
{
    public string? Phase { get; set; }

    public string? PodIP { get; set; }

    public List<PodIP> PodIPs { get; set; } = [];

    public List<ContainerStatus> InitContainerStatuses { get; set; } = [];
}
