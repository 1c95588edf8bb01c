namespace Sluice.Kube.Models;

/// <summary>The user and group a container runs as, when the pod spec sets them.</summary>
public sealed class SecurityContext
{
    public long? RunAsUser { get; set; }

    public long? RunAsGroup { get; set; }
}
