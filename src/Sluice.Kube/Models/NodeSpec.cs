namespace Sluice.Kube.Models;

/// <summary>A node's pod address ranges, whether it takes new pods, and its taints.</summary>
public sealed class NodeSpec
{
    public string? PodCIDR { get; set; }

    public List<string> PodCIDRs { get; set; } = [];

    public bool Unschedulable { get; set; }

    public List<Taint> Taints { get; set; } = [];
}
