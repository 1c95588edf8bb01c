using System.Text.RegularExpressions;
using Sluice.Bridge.Ipam;
using Sluice.Cni.Plugin;
using Sluice.Linux.Rtnetlink;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>
/// GC: releases addresses of attachments outside the valid set (in IPAM), and removes their
/// host-side leftovers: host veths tagged for this network (or untagged ones of ours, left by an
/// ADD killed before it tagged them), and veths DEL released whose namespace still lives; with the
/// portMappings capability, their hostPort mappings first (addresses are collected only once those
/// are gone). The network's firewall rules stay. Keeps going past errors.
/// </summary>
internal sealed partial class BridgeGc(CniRequest<BridgeSettings> request)
{
    private readonly BridgeSettings _settings = request.Settings;

    public void Run()
    {
        var valid = request.Config.GcValidAttachments.Select(a => (a.ContainerId, a.IfName)).ToHashSet();
        var errors = new ErrorList(request.Log);
        // The mappings first, and the addresses only once they are gone (as in DEL).
        var mappingsGone = _settings.HostPorts is not { } hostPorts ||
            errors.Run("hostPort mappings of dead attachments", () => HostPortStep.Gc(request.With(hostPorts, prevResult: null)));
        if (mappingsGone)
        {
            errors.Run("collecting addresses", () => IpamFactory.For(request).Gc(request.Config.GcValidAttachments));
        }

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
            var released = AttachmentNames.ParseReleasedTag(link.Alias, _settings.NetworkName) is not null;
            var dead = released || (owner is { } o
                ? !valid.Contains(o)
                : link.Alias is null && bridge is not null && link.MasterIndex == bridge.Index && HostVethName().IsMatch(link.Name) && !expected.Contains(link.Name));
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
