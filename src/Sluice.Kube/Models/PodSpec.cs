using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>Where a pod runs and what it runs: the node, host networking, and its containers.</summary>
public sealed class PodSpec
{
    public static JsonShape<PodSpec> Shape { get; } = new JsonShape<PodSpec>(() => new PodSpec(), KeyMatch.Exact)
        .Text("nodeName", s => s.NodeName, (s, v) => s.NodeName = v)
        .Field("hostNetwork", JsonCodecs.Required(JsonCodecs.Boolean), s => s.HostNetwork, (s, v) => s.HostNetwork = v)
        .List("containers", Container.Shape, s => s.Containers, (s, v) => s.Containers = v ?? [])
        .List("initContainers", Container.Shape, s => s.InitContainers, (s, v) => s.InitContainers = v ?? []);

    public string? NodeName { get; set; }

    public bool HostNetwork { get; set; }

    public List<Container> Containers { get; set; } = [];

    public List<Container> InitContainers { get; set; } = [];
}
