using System.Net.Sockets;
using Sluice.Cni;
using Sluice.Cni.Results;
using Sluice.Net;

namespace Sluice.Portmap;

/// <summary>
/// The pod's addresses the mappings forward to, from the previous result: the first IPv4 and the
/// first IPv6 address of the interface CNI_IFNAME in the sandbox (addresses of other or host-side
/// interfaces are skipped), with their prefixes, which give the pod's own link.
/// </summary>
public sealed record PodAddresses(InterfaceAddress? V4, InterfaceAddress? V6)
{
    public IEnumerable<InterfaceAddress> All => (V4, V6) switch
    {
        ({ } v4, { } v6) => [v4, v6],
        ({ } v4, null) => [v4],
        (null, { } v6) => [v6],
        _ => [],
    };

    public InterfaceAddress? Of(AddressFamily family) => family == AddressFamily.InterNetwork ? V4 : V6;

    public static PodAddresses From(CniResult previous, string ifName)
    {
        ArgumentNullException.ThrowIfNull(previous);
        InterfaceAddress? v4 = null, v6 = null;
        var interfaces = previous.Interfaces ?? [];
        foreach (var ip in previous.Ips ?? [])
        {
            if (ip.Interface is { } index && index >= 0 && index < interfaces.Count &&
                (interfaces[index].Name != ifName || string.IsNullOrEmpty(interfaces[index].Sandbox)))
            {
                continue;
            }

            var address = ip.ParsedAddress;
            if (address.IsIPv4)
            {
                v4 ??= address;
            }
            else
            {
                v6 ??= address;
            }
        }

        return new PodAddresses(v4, v6);
    }

    /// <summary>The forwards of every mapping, one per pod address of a family it applies to; a mapping that reaches none is error 7.</summary>
    public IReadOnlyList<PortForward> Forwards(PortmapSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (V4 is null && V6 is null)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"prevResult has no address of {settings.Owner.IfName} in the sandbox: there is nothing to forward the mapped ports to");
        }

        var forwards = new List<PortForward>();
        foreach (var mapping in settings.Mappings)
        {
            var targets = All.Where(a => mapping.AppliesTo(a.Address.AddressFamily)).ToList();
            if (targets.Count == 0)
            {
                throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"field 'runtimeConfig.portMappings[{mapping.Index}].hostIP' {mapping.HostIp} is {(mapping.HostIp!.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} and the pod has no address of that family");
            }

            forwards.AddRange(targets.Select(t => new PortForward(settings.Owner, mapping.Protocol, mapping.Destination, mapping.HostPort, t.Address, mapping.ContainerPort)));
        }

        return forwards;
    }
}
