using System.Net;
using Sluice.Bridge.Firewall;
using Sluice.Bridge.Ipam;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Linux.Rtnetlink;
using Sluice.Net;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>
/// CHECK: everything ADD made is still there and as the prevResult says: IPAM reservation,
/// bridge, host veth on the bridge, the pod interface paired with it, its addresses and routes,
/// the firewall entries, and the hostPort mappings when the bridge makes them. Additions by later
/// plugins are allowed.
/// </summary>
internal sealed class BridgeCheck(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;
    private readonly CniEnvironment _env = request.Env;

    public void Run()
    {
        var previous = request.PrevResult
            ?? throw new CniException(CniErrorCode.InvalidNetworkConfig, "CHECK needs the prevResult of the ADD it checks");
        // The namespace first: a path that is not a network namespace is error 4 whatever else is wrong.
        using var podNs = BridgeAdd.OpenNetns(_env.NetNs);
        IpamFactory.For(request).Check(previous);

        using var host = Rtnl.Open();
        var bridge = host.FindLink(_settings.BridgeName) ?? throw Failed($"bridge {_settings.BridgeName} is missing");
        if (bridge.Kind != "bridge")
        {
            throw Failed($"{bridge.Name} is not a bridge");
        }

        var hostName = AttachmentNames.HostVeth(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var hostVeth = host.FindLink(hostName) ?? throw Failed($"host veth {hostName} is missing");
        if (hostVeth.MasterIndex != bridge.Index)
        {
            throw Failed($"host veth {hostName} is not attached to bridge {bridge.Name}");
        }

        using var pod = Rtnl.OpenIn(podNs);
        var podLink = pod.FindLink(_env.IfName) ?? throw Failed($"{_env.IfName} is missing in {podNs.Description}");
        if (podLink.Kind != "veth" || podLink.ParentIndex != hostVeth.Index)
        {
            throw Failed($"{_env.IfName} in {podNs.Description} is not the peer of {hostName}");
        }

        var ourIndex = previous.Interfaces?.FindIndex(i => i.Name == _env.IfName && i.Sandbox == _env.NetNs) ?? -1;
        if (ourIndex >= 0 && previous.Interfaces![ourIndex].Mac is { Length: > 0 } mac && !string.Equals(mac, podLink.MacText, StringComparison.OrdinalIgnoreCase))
        {
            throw Failed($"{_env.IfName} has MAC {podLink.MacText}, prevResult says {mac}");
        }

        var ips = (previous.Ips ?? []).Where(ip => ip.Interface is null || ip.Interface == ourIndex).ToList();
        CheckAddresses(pod, podLink, ips);
        CheckRoutes(pod, podLink, previous.Routes ?? [], ips);
        CheckFirewall(ips);
        if (_settings.HostPorts is { } hostPorts)
        {
            HostPortStep.Check(request.With(hostPorts, previous));
        }
    }

    private static void CheckAddresses(Rtnl pod, Link link, List<CniIpConfig> ips)
    {
        var present = pod.ListAddresses(link.Index);
        foreach (var ip in ips)
        {
            var wanted = ip.ParsedAddress;
            if (!present.Any(a => a.Address.Equals(wanted.Address) && a.PrefixLength == wanted.PrefixLength))
            {
                throw Failed($"address {wanted} from prevResult is missing on {link.Name}");
            }
        }
    }

    private static void CheckRoutes(Rtnl pod, Link link, List<CniRoute> routes, List<CniIpConfig> ips)
    {
        var families = routes.Select(r => InterfaceAddress.Parse(r.Dst).Address.AddressFamily).Distinct();
        var present = families.SelectMany(family => pod.ListRoutes(family)).ToList();
        foreach (var route in routes)
        {
            var destination = InterfaceAddress.Parse(route.Dst).Network;
            var gateway = route.Gw is not null
                ? IPAddress.Parse(route.Gw)
                : ips.FirstOrDefault(ip => ip.ParsedGateway?.AddressFamily == destination.BaseAddress.AddressFamily)?.ParsedGateway;
            var found = present.Any(r =>
                (r.Destination ?? new IPNetwork(destination.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0)).Equals(destination) &&
                (gateway is null || gateway.Equals(r.Gateway)) &&
                r.OutputIndex == link.Index);
            if (!found)
            {
                throw Failed($"route {route.Dst}{(gateway is null ? "" : $" via {gateway}")} from prevResult is missing on {link.Name}");
            }
        }
    }

    private void CheckFirewall(List<CniIpConfig> ips)
    {
        var plan = FirewallPlan.For(_settings, ips.Select(ip => ip.ParsedAddress.Network));
        if (plan.IsEmpty)
        {
            return;
        }

        var problems = new List<string>();
        foreach (var firewall in FirewallSelector.Holding())
        {
            using (firewall)
            {
                if (firewall.Verify(plan) is not { } problem)
                {
                    return;
                }

                problems.Add(problem);
            }
        }

        throw Failed(problems.Count > 0 ? string.Join("; ", problems) : $"no firewall rules of {_settings.NetworkName} are installed on this node");
    }

    private static CniException Failed(string problem) => new(SluiceErrorCode.CheckFailed, $"CHECK failed: {problem}");
}
