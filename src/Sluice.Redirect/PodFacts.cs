using Sluice.Kube.Models;

namespace Sluice.Redirect;

/// <summary>
/// What the capture decision reads from a pod: its identity, labels, annotations and
/// containers. Kept apart from the API models so the decision is a plain function of data.
/// </summary>
public sealed record PodFacts
{
    public required string Namespace { get; init; }

    public required string Name { get; init; }

    /// <summary>metadata.uid (null when the source gave none).</summary>
    public string? Uid { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<ContainerFacts> Containers { get; init; } = [];

    public IReadOnlyList<ContainerFacts> InitContainers { get; init; } = [];

    public string Description => $"pod {Namespace}/{Name}";

    /// <summary>The facts of a pod as the API server (or sluice-agent's copy) describes it; names it lacks are the ones asked for.</summary>
    public static PodFacts From(Pod pod, string podNamespace, string podName) => new()
    {
        Namespace = pod.Metadata.Namespace ?? podNamespace,
        Name = pod.Metadata.Name ?? podName,
        Uid = pod.Metadata.Uid,
        Labels = pod.Metadata.Labels ?? [],
        Annotations = pod.Metadata.Annotations ?? [],
        Containers = pod.Spec.Containers.Select(ContainerFacts.From).ToList(),
        InitContainers = pod.Spec.InitContainers.Select(ContainerFacts.From).ToList(),
    };
}

/// <summary>One container: its name, its environment (literal values only), its user and group, and for init containers the restart policy.</summary>
public sealed record ContainerFacts
{
    public required string Name { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public long? RunAsUser { get; init; }

    public long? RunAsGroup { get; init; }

    /// <summary><c>Always</c> on an init container makes it a native sidecar (runs alongside the app).</summary>
    public string? RestartPolicy { get; init; }

    public bool IsNativeSidecar => string.Equals(RestartPolicy, "Always", StringComparison.Ordinal);

    public static ContainerFacts From(Container container) => new()
    {
        Name = container.Name ?? "",
        Env = container.Env.Where(e => e.Name is not null && e.Value is not null).GroupBy(e => e.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value!, StringComparer.Ordinal),
        RunAsUser = container.SecurityContext?.RunAsUser,
        RunAsGroup = container.SecurityContext?.RunAsGroup,
        RestartPolicy = container.RestartPolicy,
    };
}
