using Sluice.Cni.Logging;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>
/// How DEL lets go of a host veth without deleting it: deleting a veth makes the kernel wait for
/// RCU grace periods while it holds the rtnl lock (tens of milliseconds, and every other link
/// change on the node waits too), while retagging, setting it down and detaching it from the
/// bridge are plain attribute changes. The pair then goes with the pod's namespace, which the
/// kernel tears down in a batch off any plugin's path. Why an address released this way cannot
/// collide with the stale interface: docs/bridge.md, "DEL".
/// </summary>
internal static class HostVethRelease
{
    /// <summary>
    /// Tags <paramref name="veth"/> as released, sets it down (its peer loses carrier: the pod's
    /// interface can neither send nor receive) and detaches it from the bridge (its bridge
    /// forwarding entries go with the port). Safe to repeat. If the kernel refuses the longer tag,
    /// the veth is deleted the slow way instead.
    /// </summary>
    public static void Release(Rtnl host, Link veth, string releasedTag, CniLog log)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(veth);
        ArgumentNullException.ThrowIfNull(log);
        try
        {
            host.SetAlias(veth.Index, releasedTag);
        }
        catch (LinuxException error) when (error.ErrorNumber is Errno.EINVAL or Errno.ERANGE)
        {
            log.Debug($"{veth.Name}: the released tag does not fit ({error.Message}); deleting it");
            host.DeleteLink(veth.Index);
            return;
        }

        host.SetDown(veth.Index);
        if (veth.MasterIndex != 0)
        {
            host.SetMaster(veth.Index, 0);
        }
    }
}
