using System.Net;
using Sluice.Kube.Models;
using Sluice.Net;

namespace Sluice.Agent.Network;

/// <summary>
/// What the pod network needs to know of one node: its pod CIDRs (<c>spec.podCIDRs</c>, or the
/// older single <c>spec.podCIDR</c>) and its InternalIP addresses, the next hops to its pods.
/// Values that do not parse are kept as problems, never silently dropped.
/// </summary>
public sealed record NodeAddressing(string Name, IReadOnlyList<IPNetwork> PodCidrs, IReadOnlyList<IPAddress> InternalIps, IReadOnlyList<string> Problems)
{
    public static NodeAddressing From(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var name = node.Metadata.Name ?? "";
        var problems = new List<string>();
        var cidrTexts = node.Spec.PodCIDRs.Count > 0 ? node.Spec.PodCIDRs : node.Spec.PodCIDR is { } single ? [single] : [];
        var cidrs = new List<IPNetwork>();
        foreach (var text in cidrTexts)
        {
            if (Cidr.TryParse(text, out var cidr))
            {
                cidrs.Add(cidr);
            }
            else
            {
                problems.Add($"node {name}: spec.podCIDRs value '{text}' is not a CIDR");
            }
        }

        var internalIps = new List<IPAddress>();
        foreach (var address in node.Status.Addresses.Where(a => a.Type == "InternalIP"))
        {
            if (IpText.TryParse(address.Address, out var ip))
            {
                internalIps.Add(ip);
            }
            else
            {
                problems.Add($"node {name}: InternalIP '{address.Address}' is not an IP address");
            }
        }

        return new NodeAddressing(name, cidrs, internalIps, problems);
    }
}
