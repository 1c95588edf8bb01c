using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>A container that ended, and its exit code.</summary>
public sealed class ContainerStateTerminated
{
    public static JsonShape<ContainerStateTerminated> Shape { get; } = new JsonShape<ContainerStateTerminated>(() => new ContainerStateTerminated(), KeyMatch.Exact)
        .Field("exitCode", JsonCodecs.Required(JsonCodecs.Int32), t => t.ExitCode, (t, v) => t.ExitCode = v);

    public int ExitCode { get; set; }
}
