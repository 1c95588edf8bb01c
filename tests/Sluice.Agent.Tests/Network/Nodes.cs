using Sluice.Kube.Models;

namespace Sluice.Agent.Tests.Network;

/// <summary>Node objects as the client decodes them, for the pure network tests.</summary>
internal static class Nodes
{
    public static Node Make(string name, string[] podCidrs, params string[] internalIps) => new()
    {
        Metadata = new ObjectMeta { Name = name },
        Spec = new NodeSpec { PodCIDRs = [.. podCidrs], PodCIDR = podCidrs.FirstOrDefault() },
        Status = new NodeStatus
        {
            Addresses = [.. internalIps.Select(ip => new NodeAddress { Type = "InternalIP", Address = ip }), new NodeAddress { Type = "Hostname", Address = name }],
        },
    };

    public static NodeAddressingList Addressing(params Node[] nodes) => new([.. nodes.Select(Sluice.Agent.Network.NodeAddressing.From)]);
}

internal sealed record NodeAddressingList(IReadOnlyList<Sluice.Agent.Network.NodeAddressing> Items);
