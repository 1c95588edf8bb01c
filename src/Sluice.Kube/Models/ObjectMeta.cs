using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>The metadata every Kubernetes object carries; only the fields Sluice reads.</summary>
public sealed class ObjectMeta
{
    public static JsonShape<ObjectMeta> Shape { get; } = new JsonShape<ObjectMeta>(() => new ObjectMeta(), KeyMatch.Exact)
        .Text("name", m => m.Name, (m, v) => m.Name = v)
        .Text("namespace", m => m.Namespace, (m, v) => m.Namespace = v)
        .Text("uid", m => m.Uid, (m, v) => m.Uid = v)
        .Text("resourceVersion", m => m.ResourceVersion, (m, v) => m.ResourceVersion = v)
        .Text("deletionTimestamp", m => m.DeletionTimestamp, (m, v) => m.DeletionTimestamp = v)
        .Int64("generation", m => m.Generation, (m, v) => m.Generation = v)
        .TextMap("labels", m => m.Labels, (m, v) => m.Labels = v)
        .TextMap("annotations", m => m.Annotations, (m, v) => m.Annotations = v)
        .List("ownerReferences", OwnerReference.Shape, m => m.OwnerReferences, (m, v) => m.OwnerReferences = v);

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public string? Uid { get; set; }

    public string? ResourceVersion { get; set; }

    /// <summary>Set once the object is being deleted (RFC 3339 time); a terminating pod still runs until its grace period ends.</summary>
    public string? DeletionTimestamp { get; set; }

    /// <summary>Bumped by the API server on every change of the object's spec.</summary>
    public long? Generation { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<OwnerReference>? OwnerReferences { get; set; }
}
