using Sluice.Bridge.Ipam;
using Sluice.Cni;
using Sluice.Cni.Plugin;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>
/// DEL: undoes ADD by attachment alone, so it works without the netns, without prevResult,
/// twice, or without an ADD before it: the host veth by its derived name, addresses by
/// (container, ifname). Firewall rules are per network, not per pod, so there is nothing of the
/// pod's to remove there. Keeps going past failures and reports them together.
/// </summary>
internal sealed class BridgeDel(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;
    private readonly CniEnvironment _env = request.Env;

    public void Run()
    {
        var errors = new ErrorList(request.Log);
        errors.Run("removing interfaces", RemoveInterfaces);
        errors.Run("releasing addresses", () => IpamFactory.For(request).Del());
        errors.ThrowIfAny(BridgePlugin.Translate);
    }

    private void RemoveInterfaces()
    {
        if (_env.NetNs.Length > 0 && TryOpen(_env.NetNs) is { } podNs)
        {
            using (podNs)
            using (var pod = Rtnl.OpenIn(podNs))
            {
                if (pod.FindLink(_env.IfName) is { Kind: "veth" } link)
                {
                    Gone(() => pod.DeleteLink(link.Index));
                }
            }
        }

        using var host = Rtnl.Open();
        var hostName = AttachmentNames.HostVeth(_settings.NetworkName, _env.ContainerId, _env.IfName);
        var tag = AttachmentNames.Tag(_settings.NetworkName, _env.ContainerId, _env.IfName);
        if (host.FindLink(hostName) is { } leftover)
        {
            if (leftover.Alias is not null && leftover.Alias != tag)
            {
                request.Log.Warn($"{hostName} belongs to '{leftover.Alias}', leaving it alone");
                return;
            }

            Gone(() => host.DeleteLink(leftover.Index));
        }
    }

    private NetNs? TryOpen(string path)
    {
        var ns = CniNetNs.OpenUnlessGone(path);
        if (ns is null)
        {
            request.Log.Debug($"netns {path} is gone; cleaning the host side only");
        }

        return ns;
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
