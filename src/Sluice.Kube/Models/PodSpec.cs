namespace Sluice.Kube.Models;

/// <summary>Where a pod runs and what it runs: the node, host networking, and its containers.</summary>
public sealed class PodSpec
{
    public string? NodeName { get; set; }

    public bool HostNetwork { get; set; }

    public List<Container> Containers { get; set; } = [];

    public List<Container> InitContainers { get; set; } = [];
}
