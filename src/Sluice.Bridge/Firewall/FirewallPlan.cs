using System.Net;
using System.Net.Sockets;

namespace Sluice.Bridge.Firewall;

/// <summary>
/// What one network needs from the node's firewall. Masquerade: traffic from the pod subnets
/// (<see cref="Sources"/>) to anywhere but <see cref="Destinations"/> (the cluster's pod network)
/// and multicast. Forward: FORWARD accepts traffic from and to <see cref="Destinations"/>.
/// Rules are per network and per subnet, never per pod: a pod's ADD and DEL leave them alone
/// (nothing to leak when a DEL never comes), and a node with its pods' subnets already in place
/// needs no firewall change at all to add a pod.
/// </summary>
internal sealed record FirewallPlan(
    string Network,
    IReadOnlyList<IPNetwork> Sources,
    IReadOnlyList<IPNetwork> Destinations,
    bool DestinationsConfigured,
    bool Forward,
    bool Masquerade)
{
    public static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    public string Id => AttachmentNames.NetworkId(Network);

    public bool IsEmpty => !Forward && !Masquerade;

    public IEnumerable<AddressFamily> FamiliesInUse =>
        Families.Where(f => SourcesOf(f).Any() || DestinationsOf(f).Any());

    public IEnumerable<IPNetwork> SourcesOf(AddressFamily family) => Sources.Where(c => c.BaseAddress.AddressFamily == family);

    public IEnumerable<IPNetwork> DestinationsOf(AddressFamily family) => Destinations.Where(c => c.BaseAddress.AddressFamily == family);

    public static IPNetwork Multicast(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? IPNetwork.Parse("224.0.0.0/4") : IPNetwork.Parse("ff00::/8");

    public static FirewallPlan For(BridgeSettings settings, IEnumerable<IPNetwork> podSubnets)
    {
        var sources = podSubnets.Distinct().ToList();
        return new FirewallPlan(
            settings.NetworkName,
            sources,
            settings.ClusterCidrs ?? sources,
            settings.ClusterCidrs is not null,
            Forward: settings.IsGateway,
            Masquerade: settings.IpMasq);
    }
}
