using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The object that owns another (a pod's ReplicaSet, DaemonSet, Job…), by kind and name.</summary>
public sealed class OwnerReference
{
    public static JsonShape<OwnerReference> Shape { get; } = new JsonShape<OwnerReference>(() => new OwnerReference(), KeyMatch.Exact)
        .Text("kind", o => o.Kind, (o, v) => o.Kind = v)
        .Text("name", o => o.Name, (o, v) => o.Name = v);

    public string? Kind { get; set; }

    public string? Name { get; set; }
}
