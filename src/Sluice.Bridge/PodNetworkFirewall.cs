using System.Net;
using Sluice.Bridge.Firewall;
using Sluice.Cni.Logging;
using Sluice.Firewall;

namespace Sluice.Bridge;

/// <summary>
/// The node-side rules of a sluice-bridge network, for the agent to put in place before the
/// first pod arrives: FORWARD accepting the cluster's pod network and masquerade of pod traffic
/// leaving it. The same rules, under the same network name, as the plugin's ADD ensures, in the
/// backend it would choose, so neither ever undoes the other.
/// </summary>
public static class PodNetworkFirewall
{
    /// <summary>Brings the rules of <paramref name="network"/> to this node's subnets and the cluster's; returns the backend's name when it changed something, else null.</summary>
    public static string? Ensure(string network, IReadOnlyList<IPNetwork> podSubnets, IReadOnlyList<IPNetwork> clusterCidrs, CniLog log)
    {
        ArgumentNullException.ThrowIfNull(podSubnets);
        ArgumentNullException.ThrowIfNull(clusterCidrs);
        var plan = new FirewallPlan(network, podSubnets, clusterCidrs, DestinationsConfigured: true, Forward: true, Masquerade: true);
        using var firewall = FirewallSelector.For(FirewallBackend.Auto, log);
        return firewall.Ensure(plan) ? firewall.Name : null;
    }
}
