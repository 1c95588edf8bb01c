namespace Sluice.Kube.Models;

/// <summary>One container of a pod: image, environment, ports and the user it runs as.</summary>
public sealed class Container
{
    public string? Name { get; set; }

    public string? Image { get; set; }

    public List<EnvVar> Env { get; set; } = [];

    public List<ContainerPort> Ports { get; set; } = [];

    public SecurityContext? SecurityContext { get; set; }

    /// <summary>"Always" on an init container makes it a native sidecar (it keeps running beside the app).</summary>
    public string? RestartPolicy { get; set; }

    /// <summary>True for an init container that Kubernetes runs as a native sidecar.</summary>
    public bool IsNativeSidecar => string.Equals(RestartPolicy, "Always", StringComparison.Ordinal);
}
