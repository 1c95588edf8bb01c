namespace Sluice.Kube.Models;

/// <summary>One of a pod's addresses (a dual-stack pod has one per family).</summary>
public sealed class PodIP
{
    public string? Ip { get; set; }
}
