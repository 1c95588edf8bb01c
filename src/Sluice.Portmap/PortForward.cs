using System.Net;
using System.Net.Sockets;

namespace Sluice.Portmap;

/// <summary>
/// One mapping installed for one of the pod's addresses: connections of <see cref="Protocol"/> to
/// <see cref="HostPort"/> on the node (on <see cref="HostIp"/> only, when set) are translated to
/// <see cref="PodAddress"/>:<see cref="ContainerPort"/>. Every rule of a forward carries its
/// <see cref="PortForwardTag"/>, so DEL and GC find it, and a conflicting ADD names its owner.
/// </summary>
public sealed record PortForward(MappingOwner Owner, MappingProtocol Protocol, IPAddress? HostIp, int HostPort, IPAddress PodAddress, int ContainerPort)
{
    public AddressFamily Family => PodAddress.AddressFamily;

    /// <summary>Whether both forwards would take the same connections: same protocol, port and family, overlapping node addresses.</summary>
    public bool Overlaps(PortForward other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Protocol == other.Protocol && HostPort == other.HostPort && Family == other.Family &&
            (HostIp is null || other.HostIp is null || HostIp.Equals(other.HostIp));
    }

    /// <summary><c>tcp 8080 -> 10.22.0.5:80</c>, with the node address when the forward is limited to one.</summary>
    public string Describe()
    {
        var host = HostIp is null ? HostPort.ToString(System.Globalization.CultureInfo.InvariantCulture) : new IPEndPoint(HostIp, HostPort).ToString();
        var pod = new IPEndPoint(PodAddress, ContainerPort).ToString();

        // Concatenated, not interpolated: descriptions go into other interpolated messages, and nested
        // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
        return string.Concat(MappingProtocols.Name(Protocol), " ", host, " -> ", pod);
    }
}
