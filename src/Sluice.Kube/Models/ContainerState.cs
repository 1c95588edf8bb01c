namespace Sluice.Kube.Models;

/// <summary>A container's state as kubelet reports it; Sluice reads only how a terminated one ended.</summary>
public sealed class ContainerState
{
    public ContainerStateTerminated? Terminated { get; set; }
}
