namespace Sluice.Kube.Models;

/// <summary>A container that ended, and its exit code.</summary>
public sealed class ContainerStateTerminated
{
    public int ExitCode { get; set; }
}
