using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A container's state as kubelet reports it; Sluice reads only how a terminated one ended.</summary>
public sealed class ContainerState
{
    public static JsonShape<ContainerState> Shape { get; } = new JsonShape<ContainerState>(() => new ContainerState(), KeyMatch.Exact)
        .Object("terminated", ContainerStateTerminated.Shape, s => s.Terminated, (s, v) => s.Terminated = v);

    public ContainerStateTerminated? Terminated { get; set; }
}
