using System.Net;
using Sluice.Bridge.Firewall;
using Sluice.Bridge.Ipam;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Cni.Results;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>ADD: bridge, veth, addresses, routes, gateway, forwarding, firewall; any failure undoes what was done.</summary>
internal sealed class BridgeAdd(CniRequest<BridgeConfig> request)
{
    private readonly BridgeSettings _settings = BridgeSettings.From(request.Config);
    private readonly CniEnvironment _env = request.Env;

    public CniResult Run()
    {
        var ipam = IpamFactory.For(request);
        var mac = PodMac.From(request.Config, _env.Args);
        using var podNs = OpenNetns(_env.NetNs);
        using var host = Rtnl.Open();
        RequireFreeInterfaceName(podNs);

        using var undo = new Rollback(request.Log);
        var hostNetwork = new HostNetwork(host, _settings, request.Log);
        var bridge = hostNetwork.EnsureBridge();
        var hostName = AttachmentNames.HostVeth(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var tag = AttachmentNames.Tag(_settings.NetworkName, _env.ContainerId, _env.IfName);
        RemoveLeftoverVeth(host, hostName, tag);

        using var pod = PodInterface.Create(host, podNs, bridge, hostName, tag, _env.IfName, _settings, mac, request.Log);
        undo.Add($"deleting veth {hostName}", () => host.DeleteLink(hostName));

        var addresses = ipam.Add();
        undo.Add($"releasing addresses ({ipam.Type})", ipam.Del);
        var ips = addresses.Ips ?? [];
        if (ips.Count == 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"IPAM {ipam.Type} returned no addresses");
        }

        var routes = pod.Configure(addresses, _settings);
        if (_settings.IsGateway)
        {
            hostNetwork.EnsureGatewayAddresses(bridge, ips);
            hostNetwork.EnableForwarding(ips);
        }

        InstallFirewall(ips, tag, undo);
        undo.Commit();
        request.Log.Info($"{_env.IfName} in {_env.NetNs}: {string.Join(", ", ips.Select(ip => ip.Address))} on {bridge.Name} via {hostName}");
        return BridgeResult.Build(host.GetLink(bridge.Index), pod.Host, pod.Link, _env.NetNs, addresses, routes, request.Config.Dns);
    }

    private void InstallFirewall(List<CniIpConfig> ips, string tag, Rollback undo)
    {
        var cidrs = _settings.ClusterCidrs ?? ips.Select(ip => ip.ParsedAddress.Network).Distinct().ToList();
        var plan = new FirewallPlan(_settings.NetworkName, cidrs, Forward: _settings.IsGateway, Masquerade: _settings.IpMasq);
        if (plan.IsEmpty)
        {
            return;
        }

        var firewall = FirewallSelector.ForAdd(_settings.Backend, request.Log);
        undo.Add($"disposing {firewall.Name}", firewall.Dispose);
        firewall.Add(plan, new PodEntry(tag, ips.Select(ip => ip.ParsedAddress.Address).ToList()));
        var key = (_env.ContainerId, _env.IfName);
        undo.Add($"removing firewall entries ({firewall.Name})", () => firewall.Remove(_settings.NetworkName, owner => owner == key));
        request.Log.Debug($"firewall rules installed with {firewall.Name}");
    }

    /// <summary>Spec: ADD must fail when CNI_IFNAME already exists in the pod.</summary>
    private void RequireFreeInterfaceName(NetNs podNs)
    {
        using var pod = Rtnl.OpenIn(podNs);
        if (pod.FindLink(_env.IfName) is not null)
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_IFNAME {_env.IfName} already exists in {podNs.Description}");
        }
    }

    /// <summary>A host veth of this very attachment left by an ADD that was killed: remove it, or refuse if it is someone else's.</summary>
    private void RemoveLeftoverVeth(Rtnl host, string hostName, string tag)
    {
        if (host.FindLink(hostName) is not { } leftover)
        {
            return;
        }

        if (leftover.Alias is not null && leftover.Alias != tag)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"host interface {hostName} exists and belongs to '{leftover.Alias}', not to this attachment");
        }

        request.Log.Warn($"removing {hostName} left by an earlier ADD of this attachment");
        host.DeleteLink(leftover.Index);
    }

    internal static NetNs OpenNetns(string path)
    {
        try
        {
            return NetNs.Open(path);
        }
        catch (LinuxException error)
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS {path} cannot be opened: {Errno.Describe(error.ErrorNumber)} ({error.ErrorName})");
        }
    }
}
