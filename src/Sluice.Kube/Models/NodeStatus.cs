namespace Sluice.Kube.Models;

/// <summary>A node's observed addresses and conditions (Ready, NetworkUnavailable…).</summary>
public sealed class NodeStatus
{
    public List<NodeAddress> Addresses { get; set; } = [];

    public List<NodeCondition> Conditions { get; set; } = [];
}
