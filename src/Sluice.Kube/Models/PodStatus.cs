namespace Sluice.Kube.Models;

/// <summary>A pod's observed state: its phase and the addresses it was given.</summary>
public sealed class PodStatus
{
    public string? Phase { get; set; }

    public string? PodIP { get; set; }

    public List<PodIP> PodIPs { get; set; } = [];
}
