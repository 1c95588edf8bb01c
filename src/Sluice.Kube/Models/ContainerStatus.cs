using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>What kubelet reports about one container of a pod: its name, its current state and the one before.</summary>
public sealed class ContainerStatus
{
    public static JsonShape<ContainerStatus> Shape { get; } = new JsonShape<ContainerStatus>(() => new ContainerStatus(), KeyMatch.Exact)
        .Text("name", s => s.Name, (s, v) => s.Name = v)
        .Object("state", ContainerState.Shape, s => s.State, (s, v) => s.State = v)
        .Field("restartCount", JsonCodecs.Required(JsonCodecs.Int32), s => s.RestartCount, (s, v) => s.RestartCount = v)
        .Object("lastState", ContainerState.Shape, s => s.LastState, (s, v) => s.LastState = v);

    public string? Name { get; set; }

    public ContainerState? State { get; set; }

    /// <summary>How many times kubelet restarted it (each restart follows one termination).</summary>
    public int RestartCount { get; set; }

    /// <summary>The state before the current one (the last termination of a restarted container).</summary>
    public ContainerState? LastState { get; set; }

    /// <summary>The exit code of the container's most recent termination: the current state's if it is terminated, else the last state's; null when it never ended.</summary>
    public int? LastExitCode => State?.Terminated?.ExitCode ?? LastState?.Terminated?.ExitCode;
}
