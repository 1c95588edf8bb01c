using System.Text.RegularExpressions;
using Sluice.Bridge.Ipam;
using Sluice.Cni.Plugin;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>
/// GC: releases addresses of attachments outside the valid set (in IPAM), and removes their
/// host-side leftovers: host veths tagged for this network (or untagged ones of ours, left by an
/// ADD killed before it tagged them). Firewall rules are per network and stay. Keeps going past errors.
/// </summary>
internal sealed partial class BridgeGc(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;

    public void Run()
    {
        var valid = request.Config.GcValidAttachments.Select(a => (a.ContainerId, a.IfName)).ToHashSet();
        var errors = new ErrorList(request.Log);
        errors.Run("collecting addresses", () => IpamFactory.For(request).Gc(request.Config.GcValidAttachments));
        errors.Run("removing host interfaces of dead attachments", () => RemoveVeths(valid));
        errors.ThrowIfAny(BridgePlugin.Translate);
    }

    private void RemoveVeths(HashSet<(string ContainerId, string IfName)> valid)
    {
        using var host = Rtnl.Open();
        var links = host.ListLinks();
        var bridge = links.FirstOrDefault(l => l.Name == _settings.BridgeName && l.Kind == "bridge");
        var expected = valid.Select(v => AttachmentNames.HostVeth(_settings.NetworkName, v.ContainerId, v.IfName)).ToHashSet(StringComparer.Ordinal);
        foreach (var link in links.Where(l => l.Kind == "veth"))
        {
            var owner = AttachmentNames.ParseTag(link.Alias, _settings.NetworkName);
            var dead = owner is { } o
                ? !valid.Contains(o)
                : link.Alias is null && bridge is not null && link.MasterIndex == bridge.Index && HostVethName().IsMatch(link.Name) && !expected.Contains(link.Name);
            if (dead)
            {
                host.DeleteLink(link.Index);
                request.Log.Info($"GC removed {link.Name} ({link.Alias ?? "untagged"})");
            }
        }
    }

    [GeneratedRegex("^veth[0-9a-f]{8}$")]
    private static partial Regex HostVethName();
}
