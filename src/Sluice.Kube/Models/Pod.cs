using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A pod as the API server serves it (core/v1), reduced to what Sluice reads.</summary>
public sealed class Pod
{
    /// <summary>The pod's keys, declared once: <see cref="PodJson"/> and the API client's list and watch read them.</summary>
    public static JsonShape<Pod> Shape { get; } = new JsonShape<Pod>(() => new Pod(), KeyMatch.Exact)
        .Object("metadata", ObjectMeta.Shape, p => p.Metadata, (p, v) => p.Metadata = v ?? new())
        .Object("spec", PodSpec.Shape, p => p.Spec, (p, v) => p.Spec = v ?? new())
        .Object("status", PodStatus.Shape, p => p.Status, (p, v) => p.Status = v ?? new());

    public ObjectMeta Metadata { get; set; } = new();

    public PodSpec Spec { get; set; } = new();

    public PodStatus Status { get; set; } = new();
}
