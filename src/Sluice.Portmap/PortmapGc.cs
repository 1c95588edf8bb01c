using Sluice.Cni.Plugin;

namespace Sluice.Portmap;

/// <summary>GC: removes the rules of this network's attachments that are not in the runtime's valid set, and their stale UDP conntrack entries.</summary>
internal sealed class PortmapGc(CniRequest<PortmapSettings> request)
{
    public void Run()
    {
        var network = request.Settings.Owner.Network;
        var valid = request.Config.GcValidAttachments.Select(a => (a.ContainerId, a.IfName)).ToHashSet();
        var removed = PortmapRemoval.Remove(
            request,
            owner => owner.Network == network && !valid.Contains((owner.ContainerId, owner.IfName)),
            $"removing the mappings of dead attachments of network {network}");
        foreach (var owner in removed.Select(f => f.Owner).Distinct())
        {
            request.Log.Info($"GC removed the mappings of {owner}");
        }
    }
}
