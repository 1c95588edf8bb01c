namespace Sluice.Kube.Models;

/// <summary>A node's pod address ranges and whether it takes new pods.</summary>
public sealed class NodeSpec
{
    public string? PodCIDR { get; set; }

    public List<string> PodCIDRs { get; set; } = [];

    public bool Unschedulable { get; set; }
}
