using System.Net;
using System.Net.Sockets;

namespace Sluice.Portmap;

/// <summary>
/// One validated entry of <c>runtimeConfig.portMappings</c>: connections to <see cref="HostPort"/>
/// on the node (on <see cref="HostIp"/> only, when it names an address) go to the pod's
/// <see cref="ContainerPort"/>. <see cref="Index"/> is its place in the list, for messages.
/// </summary>
public sealed record HostPortMapping(int Index, MappingProtocol Protocol, int HostPort, int ContainerPort, IPAddress? HostIp)
{
    /// <summary>Whether the mapping applies to pod addresses of <paramref name="family"/> (a hostIP limits it to its own family).</summary>
    public bool AppliesTo(AddressFamily family) => HostIp is null || HostIp.AddressFamily == family;

    /// <summary>The node address the mapping is limited to; null for every address (no hostIP, or 0.0.0.0 / ::).</summary>
    public IPAddress? Destination => HostIp is { } ip && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any) ? ip : null;

    /// <summary>Whether both would take some of the same connections: protocol, port, a family both apply to, overlapping node addresses.</summary>
    public bool Overlaps(HostPortMapping other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Protocol == other.Protocol && HostPort == other.HostPort &&
            (AppliesTo(AddressFamily.InterNetwork) && other.AppliesTo(AddressFamily.InterNetwork) ||
             AppliesTo(AddressFamily.InterNetworkV6) && other.AppliesTo(AddressFamily.InterNetworkV6)) &&
            (Destination is null || other.Destination is null || Destination.Equals(other.Destination));
    }

    public override string ToString() =>
        $"{MappingProtocols.Name(Protocol)} {(HostIp is null ? "" : $"{HostIp} ")}{HostPort} -> {ContainerPort}";
}
