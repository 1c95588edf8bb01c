using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sluice.Linux;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Network;

/// <summary>
/// The VXLAN backend's kernel state on this node: per family, a VXLAN device (learning off, sending
/// from the node's InternalIP on the link that holds it, MTU that link's less the tunnel's overhead,
/// MAC <see cref="VtepMac"/>, this node's VTEP address: its pod CIDR's first address), and for each
/// other node reached through it a permanent neighbour entry (VTEP address → VTEP MAC) and a
/// forwarding entry (VTEP MAC → InternalIP). Entries of nodes no longer planned are removed. The
/// agent marks the devices it creates with <see cref="OwnerAlias"/> and never changes a link
/// without it; everything on its own devices is its own.
/// </summary>
public static class VxlanOverlay
{
    /// <summary>The alias (<c>ip link set dev X alias …</c>) on every VXLAN device the agent created.</summary>
    public const string OwnerAlias = "sluice-agent pod network VXLAN";

    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    /// <summary>Brings the devices and their peers to <paramref name="routes"/>' overlay hops; returns the devices in place and what changed.</summary>
    public static OverlayChanges Reconcile(NodeAddressing self, VxlanOptions options, IReadOnlyList<NodeRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(routes);
        using var rtnl = Rtnl.Open();
        var links = rtnl.ListLinks();
        var addresses = rtnl.ListAddresses();
        var changes = new OverlayChanges();
        foreach (var family in Families)
        {
            var name = options.DeviceFor(family);
            var existing = links.FirstOrDefault(l => l.Name == name);
            var local = self.InternalIps.FirstOrDefault(ip => ip.AddressFamily == family);
            var ownCidr = self.PodCidrs.Where(c => c.BaseAddress.AddressFamily == family).Select(c => (IPNetwork?)c).FirstOrDefault();
            if (local is null || ownCidr is null)
            {
                // Nothing of this family to carry: a device left from before goes (if it is ours).
                if (existing is not null && IsOurs(existing))
                {
                    rtnl.DeleteLink(existing.Index);
                    changes.Log.Add($"removed VXLAN device {name}: this node has no {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} {(local is null ? "InternalIP" : "pod CIDR")}");
                }

                continue;
            }

            if (addresses.FirstOrDefault(a => a.Address.Equals(local)) is not { } held || links.FirstOrDefault(l => l.Index == held.Index) is not { } underlay)
            {
                changes.Failed.Add($"VXLAN device {name}: no link of this node holds its InternalIP {local} to send from");
                continue;
            }

            var tunnel = new VxlanSettings(options.Vni, options.Port, local, underlay.Index, Learning: false);
            var mtu = PodMtu.Derive(underlay.Mtu, TunnelOverhead.Vxlan.For(local));
            try
            {
                if (EnsureDevice(rtnl, name, existing, tunnel, mtu, VtepMac.For(self.Name, family), changes) is not { } index)
                {
                    continue;
                }

                EnsureAddress(rtnl, index, ownCidr.Value.BaseAddress, addresses, changes, name);
                EnsurePeers(rtnl, index, name, [.. routes.Where(r => r.Overlay?.Device == name)], changes);
                changes.Devices[name] = index;
            }
            catch (LinuxException error)
            {
                changes.Failed.Add($"VXLAN device {name}: {error.Message}");
            }
        }

        // Devices of ours under another name (VXLAN_DEVICE changed) are left from before.
        var current = Families.Select(options.DeviceFor).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in links.Where(l => IsOurs(l) && !current.Contains(l.Name)))
        {
            rtnl.DeleteLink(stale.Index);
            changes.Log.Add($"removed VXLAN device {stale.Name}: the VXLAN device is now named {options.Device}");
        }

        return changes;
    }

    /// <summary>Deletes every VXLAN device the agent created (host-gw backend, uninstall); returns their names.</summary>
    public static IReadOnlyList<string> RemoveAll()
    {
        using var rtnl = Rtnl.Open();
        var removed = new List<string>();
        foreach (var link in rtnl.ListLinks().Where(IsOurs))
        {
            try
            {
                rtnl.DeleteLink(link.Index);
                removed.Add(link.Name);
            }
            catch (LinuxException error) when (error.Is(Sluice.Linux.Interop.Errno.ENODEV))
            {
                // Gone in between.
            }
        }

        return removed;
    }

    private static bool IsOurs(Link link) => link.Kind == "vxlan" && link.Alias == OwnerAlias;

    private static int? EnsureDevice(Rtnl rtnl, string name, Link? existing, VxlanSettings tunnel, int mtu, PhysicalAddress mac, OverlayChanges changes)
    {
        if (existing is not null && !IsOurs(existing))
        {
            changes.Failed.Add($"a link named {name} exists that sluice-agent did not create ({existing.Kind ?? "no kind"}): left alone; set VXLAN_DEVICE (the chart's primaryNetwork.vxlan.device) to a free name");
            return null;
        }

        if (existing is not null && existing.Vxlan != tunnel)
        {
            rtnl.DeleteLink(existing.Index);
            changes.Log.Add($"recreating VXLAN device {name}: its tunnel was {existing.Vxlan}, wanted {tunnel}");
            existing = null;
        }

        if (existing is null)
        {
            rtnl.CreateVxlan(name, tunnel, mtu, mac);
            existing = rtnl.GetLink(name);
            rtnl.SetAlias(existing.Index, OwnerAlias);
            changes.Log.Add($"created VXLAN device {name} ({tunnel}, mtu {mtu}, address {mac})");
        }
        else
        {
            if (existing.Mtu != mtu)
            {
                rtnl.SetMtu(existing.Index, mtu);
                changes.Log.Add($"VXLAN device {name}: mtu {existing.Mtu} → {mtu}");
            }

            if (!mac.Equals(existing.Mac))
            {
                rtnl.SetMac(existing.Index, mac);
                changes.Log.Add($"VXLAN device {name}: address {existing.MacText} → {mac}");
            }
        }

        if (!existing.IsUp)
        {
            rtnl.SetUp(existing.Index);
        }

        return existing.Index;
    }

    /// <summary>This node's VTEP address alone on the device (link-local IPv6 addresses are the kernel's and stay).</summary>
    private static void EnsureAddress(Rtnl rtnl, int index, IPAddress vtep, IReadOnlyList<AddressInfo> addresses, OverlayChanges changes, string name)
    {
        var length = vtep.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var onDevice = addresses.Where(a => a.Index == index && a.Address.AddressFamily == vtep.AddressFamily && !a.Address.IsIPv6LinkLocal).ToList();
        foreach (var other in onDevice.Where(a => !(a.Address.Equals(vtep) && a.PrefixLength == length)))
        {
            rtnl.DeleteAddress(index, other.Address, other.PrefixLength);
            changes.Log.Add($"VXLAN device {name}: removed address {other}");
        }

        if (!onDevice.Any(a => a.Address.Equals(vtep) && a.PrefixLength == length))
        {
            rtnl.AddAddress(index, vtep, length, vtep.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFlags.NoDad : AddressFlags.None);
        }
    }

    /// <summary>For every planned node on this device: neighbour VTEP address → MAC, forwarding MAC → InternalIP; the rest of the permanent entries go.</summary>
    private static void EnsurePeers(Rtnl rtnl, int index, string name, IReadOnlyList<NodeRoute> peers, OverlayChanges changes)
    {
        var neighbours = peers.GroupBy(p => p.Via).ToDictionary(g => g.Key, g => g.First().Overlay!.Mac);
        var forwarding = peers.GroupBy(p => p.Overlay!.Mac).ToDictionary(g => g.Key, g => g.First().Overlay!.Underlay);

        int written = 0, removed = 0;
        var presentNeighbours = rtnl.ListNeighbours(index).Where(n => (n.State & 0x80) != 0).GroupBy(n => n.Address).ToDictionary(g => g.Key, g => g.First().Mac);
        foreach (var (address, _) in presentNeighbours.Where(n => !neighbours.ContainsKey(n.Key)))
        {
            rtnl.DeleteNeighbour(index, address);
            removed++;
        }

        foreach (var (address, mac) in neighbours.Where(n => !presentNeighbours.TryGetValue(n.Key, out var present) || !n.Value.Equals(present)))
        {
            rtnl.ReplacePermanentNeighbour(index, address, mac);
            written++;
        }

        var presentForwarding = rtnl.ListForwardingEntries(index).Where(e => e.Self && e.IsPermanent).ToList();
        var inPlace = presentForwarding.Select(e => (e.Mac, e.Destination)).ToHashSet();
        foreach (var entry in presentForwarding.Where(e => !forwarding.TryGetValue(e.Mac, out var underlay) || !underlay.Equals(e.Destination)))
        {
            rtnl.DeleteForwardingEntry(index, entry.Mac, entry.Destination);
            removed++;
        }

        foreach (var (mac, underlay) in forwarding.Where(f => !inPlace.Contains((f.Key, f.Value))))
        {
            rtnl.ReplaceForwardingEntry(index, mac, underlay);
            written++;
        }

        if (written + removed > 0)
        {
            changes.Log.Add($"VXLAN device {name}: {peers.Count} routes over it; {written} neighbour and forwarding entries written, {removed} removed");
        }

        changes.Written += written;
        changes.Removed += removed;
    }
}

/// <summary>One pass over the VXLAN devices: those in place (name → index, for the routes), what was done, what failed.</summary>
public sealed class OverlayChanges
{
    public Dictionary<string, int> Devices { get; } = new(StringComparer.Ordinal);

    public List<string> Log { get; } = [];

    public List<string> Failed { get; } = [];

    public int Written { get; set; }

    public int Removed { get; set; }
}
