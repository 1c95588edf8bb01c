namespace Sluice.Kube.Models;

/// <summary>A DaemonSet (apps/v1) as the API server serves it, reduced to what the cluster-wide uninstall reads: its generation and rollout status.</summary>
public sealed class DaemonSet
{
    public ObjectMeta Metadata { get; set; } = new();

    public DaemonSetStatus Status { get; set; } = new();
}
