namespace Sluice.Kube.Models;

/// <summary>A pod as the API server serves it (core/v1), reduced to what Sluice reads.</summary>
public sealed class Pod
{
    public ObjectMeta Metadata { get; set; } = new();

    public PodSpec Spec { get; set; } = new();

    public PodStatus Status { get; set; } = new();
}
