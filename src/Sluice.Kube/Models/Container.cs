using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>One container of a pod: image, environment, ports and the user it runs as.</summary>
public sealed class Container
{
    public static JsonShape<Container> Shape { get; } = new JsonShape<Container>(() => new Container(), KeyMatch.Exact)
        .Text("name", c => c.Name, (c, v) => c.Name = v)
        .Text("image", c => c.Image, (c, v) => c.Image = v)
        .List("env", EnvVar.Shape, c => c.Env, (c, v) => c.Env = v ?? [])
        .List("ports", ContainerPort.Shape, c => c.Ports, (c, v) => c.Ports = v ?? [])
        .Object("securityContext", SecurityContext.Shape, c => c.SecurityContext, (c, v) => c.SecurityContext = v)
        .Text("restartPolicy", c => c.RestartPolicy, (c, v) => c.RestartPolicy = v);

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
