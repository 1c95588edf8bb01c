using Sluice.Bridge.Ipam;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>
/// DEL: undoes ADD by attachment alone, so it works without the netns, without prevResult,
/// twice, or without an ADD before it: the host veth by its derived name, addresses by
/// (container, ifname). The veth is released, not deleted (<see cref="HostVethRelease"/>): it
/// leaves the bridge, goes down and goes with the pod's namespace; the pod's namespace is not
/// entered at all. Firewall rules are per network, not per pod, so there is nothing of the pod's
/// to remove there, but the pod's hostPort mappings when the bridge made them go first, by their
/// tags (addresses stay reserved while they cannot). Keeps going past failures and reports them together.
/// </summary>
internal sealed class BridgeDel(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;
    private readonly CniEnvironment _env = request.Env;

    public void Run()
    {
        CheckNetns();
        var errors = new ErrorList(request.Log);
        // Before the addresses go: no rule may forward to an address another pod can get. When the
        // rules cannot be removed the addresses stay reserved, and the runtime's next DEL retries both.
        var mappingsGone = _settings.HostPorts is not { } hostPorts ||
            errors.Run("hostPort mappings", () => HostPortStep.Del(request.With(hostPorts, prevResult: null)));
        errors.Run("releasing interfaces", ReleaseInterfaces);
        if (mappingsGone)
        {
            errors.Run("releasing addresses", () => IpamFactory.For(request).Del());
        }
        else
        {
            request.Log.Warn("keeping the pod's addresses: its hostPort mappings are still in place and would forward to the next pod given them");
        }

        errors.ThrowIfAny(BridgePlugin.Translate);
    }

    private void ReleaseInterfaces()
    {
        using var host = Rtnl.Open();
        var hostName = AttachmentNames.HostVeth(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var tag = AttachmentNames.Tag(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var released = AttachmentNames.ReleasedTag(_settings.NetworkName, _env.ContainerId, _env.IfName);
        if (host.FindLink(hostName) is not { } veth)
        {
            return;
        }

        if (veth.Alias is null)
        {
            // Left by an ADD killed before it tagged the link: nothing was ever configured on it.
            Gone(() => host.DeleteLink(veth.Index));
        }
        else if (veth.Alias == tag || veth.Alias == released)
        {
            Gone(() => HostVethRelease.Release(host, veth, released, request.Log));
            request.Log.Debug($"{hostName} released: down, off the bridge, left to the namespace's teardown");
        }
        else
        {
            request.Log.Warn($"{hostName} belongs to '{veth.Alias}', leaving it alone");
        }
    }

    /// <summary>
    /// CNI_NETNS is checked as every command checks it (error 4 for what is not a network
    /// namespace), though DEL never enters it; a namespace that is gone is fine.
    /// </summary>
    private void CheckNetns()
    {
        if (_env.NetNs.Length > 0)
        {
            using var ns = CniNetNs.OpenUnlessGone(_env.NetNs, NetNsEntry.CallingThread);
        }
    }

    /// <summary>Runs a deletion for which "already gone" is success.</summary>
    private static void Gone(Action delete)
    {
        try
        {
            delete();
        }
        catch (LinuxException error) when (error.ErrorNumber is Errno.ENODEV or Errno.ENOENT)
        {
        }
    }
}
