namespace Sluice.Kube.Models;

/// <summary>The object that owns another (a pod's ReplicaSet, DaemonSet, Job…), by kind and name.</summary>
public sealed class OwnerReference
{
    public string? Kind { get; set; }

    public string? Name { get; set; }
}
