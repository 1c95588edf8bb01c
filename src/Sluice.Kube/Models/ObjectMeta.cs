namespace Sluice.Kube.Models;

/// <summary>The metadata every Kubernetes object carries; only the fields Sluice reads.</summary>
public sealed class ObjectMeta
{
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
