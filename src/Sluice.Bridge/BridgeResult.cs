using Sluice.Cni.Results;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>The result: interfaces [bridge, host veth, pod interface], the IPAM addresses on the pod interface, routes, DNS.</summary>
internal static class BridgeResult
{
    public const int PodInterfaceIndex = 2;

    public static CniResult Build(Link bridge, Link hostVeth, Link pod, string netns, CniResult ipam, List<CniRoute> routes, Sluice.Cni.Config.CniDns? configDns) => new()
    {
        Interfaces =
        [
            new CniInterface { Name = bridge.Name, Mac = bridge.MacText, Mtu = bridge.Mtu },
            new CniInterface { Name = hostVeth.Name, Mac = hostVeth.MacText, Mtu = hostVeth.Mtu },
            new CniInterface { Name = pod.Name, Mac = pod.MacText, Mtu = pod.Mtu, Sandbox = netns },
        ],
        Ips = (ipam.Ips ?? []).Select(ip =>
        {
            var copy = ip.Clone();
            copy.Interface = PodInterfaceIndex;
            return copy;
        }).ToList(),
        Routes = routes.Count > 0 ? routes : null,
        Dns = configDns is { IsEmpty: false } ? configDns.Clone() : ipam.Dns?.Clone(),
    };
}
