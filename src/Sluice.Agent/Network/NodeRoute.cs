using System.Net;

namespace Sluice.Agent.Network;

/// <summary>One route the agent keeps: another node's pod CIDR via that node's InternalIP.</summary>
public sealed record NodeRoute(IPNetwork Destination, IPAddress Via, string Node)
{
    public override string ToString() => $"{Destination} via {Via} (node {Node})";
}
