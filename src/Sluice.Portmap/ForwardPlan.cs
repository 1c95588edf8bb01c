using System.Net;
using System.Net.Sockets;

namespace Sluice.Portmap;

/// <summary>
/// The rules one attachment should have: a DNAT per forward, and the masquerades that make the
/// answers come back through the node. Without them a pod answers a connection from its own link
/// (hairpin, or a neighbour on the bridge) directly, bypassing the DNAT it never saw, and a
/// connection from 127.0.0.1 cannot leave the node at all.
/// </summary>
public sealed record ForwardPlan(MappingOwner Owner, IReadOnlyList<PortForward> Forwards, IReadOnlyList<Masquerade> Masquerades)
{
    private static readonly IPNetwork Loopback4 = IPNetwork.Parse("127.0.0.0/8");

    public IEnumerable<AddressFamily> Families => Forwards.Select(f => f.Family).Distinct();

    public static ForwardPlan Empty(MappingOwner owner) => new(owner, [], []);

    public static ForwardPlan For(PortmapSettings settings, PodAddresses pod)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pod);
        var forwards = pod.Forwards(settings);
        var masquerades = new List<Masquerade>();
        foreach (var forward in forwards)
        {
            if (settings.MasqAll)
            {
                masquerades.Add(new Masquerade(forward, null));
            }
            else if (settings.Snat)
            {
                masquerades.Add(new Masquerade(forward, pod.Of(forward.Family)!.Value.Network));
                if (forward.Family == AddressFamily.InterNetwork)
                {
                    masquerades.Add(new Masquerade(forward, Loopback4));
                }
            }
        }

        return new ForwardPlan(settings.Owner, forwards, masquerades);
    }
}

/// <summary>Masquerade of connections from <see cref="Source"/> (null: from anywhere) that a forward translated.</summary>
public sealed record Masquerade(PortForward Forward, IPNetwork? Source);
