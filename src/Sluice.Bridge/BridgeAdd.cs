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
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>ADD: bridge, veth, addresses, routes, gateway, forwarding, firewall, hostPorts; any failure undoes what was done.</summary>
internal sealed class BridgeAdd(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;
    private readonly CniEnvironment _env = request.Env;

    public CniResult Run()
    {
        request.Log.Debug("ADD starting");
        var ipam = IpamFactory.For(request);
        var mac = _settings.Mac;
        using var podNs = OpenNetns(_env.NetNs);
        using var host = Rtnl.Open();

        using var undo = new Rollback(request.Log);
        var hostNetwork = new HostNetwork(host, _settings, request.Log);
        var bridge = hostNetwork.EnsureBridge();
        request.Log.Debug($"bridge {bridge.Name} ready");
        var hostName = AttachmentNames.HostVeth(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var tag = AttachmentNames.Tag(_settings.NetworkName, _env.ContainerId, _env.IfName);
        RemoveLeftoverVeth(host, podNs, hostName, tag);

        using var pod = CreatePodInterface(host, podNs, bridge, hostName, tag, mac);
        undo.Add($"deleting veth {hostName}", () => host.DeleteLink(hostName));
        request.Log.Debug($"veth {hostName} / {_env.IfName} created");

        var addresses = ipam.Add();
        undo.Add($"releasing addresses ({ipam.Type})", ipam.Del);
        var ips = addresses.Ips ?? [];
        request.Log.Debug($"{ipam.Type} allocated {string.Join(", ", ips.Select(ip => ip.Address))}");
        if (ips.Count == 0)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"IPAM {ipam.Type} returned no addresses");
        }

        var routes = pod.Configure(addresses, _settings);
        request.Log.Debug("pod addresses and routes configured");
        if (_settings.IsGateway)
        {
            hostNetwork.EnsureGatewayAddresses(bridge, ips);
            hostNetwork.EnableForwarding(ips);
        }

        request.Log.Debug("gateway and forwarding ready");
        EnsureFirewall(ips);
        var result = BridgeResult.Build(host.GetLink(bridge.Index), pod.Host, pod.Link, _env.NetNs, addresses, routes, request.Config.Dns);
        if (_settings.HostPorts is { } hostPorts)
        {
            // Last: a port another pod holds fails the ADD, and the undo releases the rest. The
            // undo removes every rule of this attachment, also those an earlier ADD, killed before
            // it finished, left: none may forward to the address the undo releases.
            undo.Add("removing the hostPort mappings", () => HostPortStep.Del(request.With(hostPorts, prevResult: null)));
            HostPortStep.Add(request.With(hostPorts, result));
        }

        undo.Commit();
        request.Log.Info($"{_env.IfName} in {_env.NetNs}: {string.Join(", ", ips.Select(ip => ip.Address))} on {bridge.Name} via {hostName}");
        return result;
    }

    /// <summary>Makes sure the network's firewall rules cover this pod's subnets (usually already true: nothing to do).</summary>
    private void EnsureFirewall(List<CniIpConfig> ips)
    {
        var plan = FirewallPlan.For(_settings, ips.Select(ip => ip.ParsedAddress.Network));
        if (plan.IsEmpty)
        {
            return;
        }

        using var stamp = NftFirewallStamp.For(_settings.Backend, plan);
        if (stamp is { IsCurrent: true })
        {
            request.Log.Debug($"firewall rules of {plan.Network} verified at nftables generation {stamp.Generation}, unchanged since");
            return;
        }

        using var firewall = FirewallSelector.For(_settings.Backend, request.Log);
        if (firewall.Ensure(plan))
        {
            request.Log.Info($"updated the firewall rules of {plan.Network} ({firewall.Name})");
        }
        else if (firewall is NftPodFirewall && stamp?.RecordIfUnchanged(request.Log) == true)
        {
            request.Log.Debug($"firewall rules of {plan.Network} verified at nftables generation {stamp.Generation}");
        }
    }

    /// <summary>
    /// Creates the veth; a name clash in the pod is the spec's "interface already exists" error,
    /// unless the interface there is the pod end of a veth an earlier DEL released (a namespace
    /// used again for another attachment before it was removed): that pair is deleted and the
    /// veth created again.
    /// </summary>
    private PodInterface CreatePodInterface(Rtnl host, NetNs podNs, Link bridge, string hostName, string tag, System.Net.NetworkInformation.PhysicalAddress? mac)
    {
        try
        {
            return PodInterface.Create(host, podNs, bridge, hostName, tag, _env.IfName, _settings, mac, request.Log);
        }
        catch (LinuxException error) when (error.Is(Errno.EEXIST))
        {
            Link? existing;
            using (var pod = Rtnl.OpenIn(podNs))
            {
                existing = pod.FindLink(_env.IfName);
            }

            if (existing is null)
            {
                throw;
            }

            if (ReleasedPeer(host, existing) is not { } released)
            {
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_IFNAME {_env.IfName} already exists in {podNs.Description}");
            }

            request.Log.Debug($"deleting {released.Name} ({released.Alias}) and its end {_env.IfName} in the pod, released by an earlier DEL");
            host.DeleteLink(released.Index);
            return PodInterface.Create(host, podNs, bridge, hostName, tag, _env.IfName, _settings, mac, request.Log);
        }
    }

    /// <summary>The host end of <paramref name="podLink"/> when it is a veth of this network that DEL released.</summary>
    private Link? ReleasedPeer(Rtnl host, Link podLink)
    {
        if (podLink.Kind != "veth" || podLink.ParentIndex == 0)
        {
            return null;
        }

        var peer = host.ListLinks().FirstOrDefault(l => l.Index == podLink.ParentIndex);
        return peer is not null && peer.ParentIndex == podLink.Index && AttachmentNames.ParseReleasedTag(peer.Alias, _settings.NetworkName) is not null ? peer : null;
    }

    /// <summary>
    /// A host veth of this attachment already exists. Released by a DEL of this attachment whose
    /// namespace still lives (an ADD after DEL in the same namespace): it goes now, and its peer in
    /// the pod with it. If the pod still has its interface of a live attachment this is a second
    /// ADD (an error, and the live attachment is left alone); otherwise it is what a killed ADD
    /// left behind, and it goes. A veth of someone else's is never touched.
    /// </summary>
    private void RemoveLeftoverVeth(Rtnl host, NetNs podNs, string hostName, string tag)
    {
        if (host.FindLink(hostName) is not { } leftover)
        {
            return;
        }

        if (leftover.Alias == AttachmentNames.ReleasedTag(_settings.NetworkName, _env.ContainerId, _env.IfName))
        {
            request.Log.Debug($"deleting {hostName}, released by an earlier DEL of this attachment");
            host.DeleteLink(leftover.Index);
            return;
        }

        if (leftover.Alias is not null && leftover.Alias != tag)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"host interface {hostName} exists and belongs to '{leftover.Alias}', not to this attachment");
        }

        using (var pod = Rtnl.OpenIn(podNs))
        {
            if (pod.FindLink(_env.IfName) is not null)
            {
                throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_IFNAME {_env.IfName} already exists in {podNs.Description}");
            }
        }

        request.Log.Warn($"removing {hostName} left by an earlier ADD of this attachment");
        host.DeleteLink(leftover.Index);
    }

    /// <summary>
    /// The pod's namespace, entered on the calling thread when needed (a plugin is a short
    /// single-threaded process: no thread to start, as sluice-redirect does).
    /// </summary>
    internal static NetNs OpenNetns(string path) => CniNetNs.Open(path, NetNsEntry.CallingThread);
}
