using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sluice.Cni;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Bridge;

/// <summary>The node side of a bridge network: the bridge itself, its gateway addresses, forwarding.</summary>
internal sealed class HostNetwork(Rtnl host, BridgeSettings settings, CniLog log)
{
    public const int DefaultMtu = 1500;

    /// <summary>
    /// Creates the bridge if needed (tolerating a concurrent ADD doing the same) and brings it up.
    /// The MTU is given only when the bridge is created, as the reference bridge plugin does: an
    /// MTU given at creation leaves the kernel's automatic MTU on, which keeps the bridge at the
    /// smallest MTU among its ports as pods come and go. An existing bridge is never set (that
    /// would pin it): after the network's MTU was raised it would stand above the older pods'
    /// veths, and the kernel silently drops frames the node routes to a port with a smaller MTU.
    /// The bridge never takes IPv6 router advertisements (they could only come from pods): its
    /// <c>accept_ra</c> is turned off, also on an existing bridge, as the reference plugin does.
    /// </summary>
    public Link EnsureBridge()
    {
        var name = settings.BridgeName;
        var bridge = host.FindLink(name);
        if (bridge is null)
        {
            try
            {
                // The MAC set explicitly: the kernel then stops recomputing it from the ports on
                // every port change, and the gateway MAC stays put.
                host.CreateBridge(name, settings.Mtu ?? DefaultMtu, StableMac(name));
                log.Info($"created bridge {name}");
            }
            catch (LinuxException error) when (error.Is(Errno.EEXIST))
            {
                // Another ADD created it a moment ago.
            }

            bridge = host.GetLink(name);
        }

        if (bridge.Kind != "bridge")
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, $"field 'bridge': {name} exists and is not a bridge (it is a {bridge.Kind ?? "plain"} link)");
        }

        var changed = false;
        if (bridge.Ipv6AcceptRa is not (null or 0))
        {
            // The bridge is the pods' link: a router advertisement on it comes from a pod, and a
            // node that took it would route its IPv6 traffic through that pod (CVE-2020-10749).
            // The network's routes are Sluice's own. Once per bridge: an ADD reads the setting
            // with the link, and a bridge an older version left taking them is fixed here too.
            Linux.Sysctl.Sysctl.Write($"net/ipv6/conf/{name}/accept_ra", "0");
            log.Info($"stopped {name} from taking IPv6 router advertisements (accept_ra 0)");
            changed = true;
        }

        if (settings.PromiscMode && bridge.Promiscuity == 0)
        {
            host.SetPromiscuous(bridge.Index, true);
            changed = true;
        }

        if (!bridge.IsUp)
        {
            // Without this the bridge's link-local address is tentative for a second or two after it
            // comes up; until then the kernel sends no neighbour solicitation for packets it
            // forwards to a pod (it needs a usable link-local source), so the first forwarded IPv6
            // packets to a new pod wait for a retransmission. Its MAC (so its link-local) is ours and fixed.
            Linux.Sysctl.Sysctl.Ensure($"net/ipv6/conf/{name}/accept_dad", "0");
            host.SetUp(bridge.Index);
            changed = true;
        }

        return changed ? host.GetLink(bridge.Index) : bridge;
    }

    /// <summary>Puts each range's gateway address on the bridge; another address in that subnet is an error unless forceAddress.</summary>
    public void EnsureGatewayAddresses(Link bridge, IReadOnlyList<CniIpConfig> ips)
    {
        foreach (var ip in ips)
        {
            if (ip.ParsedGateway is not { } gateway)
            {
                continue;
            }

            var subnet = ip.ParsedAddress.Network;
            var present = host.ListAddresses(bridge.Index, gateway.AddressFamily);
            if (present.Any(a => a.Address.Equals(gateway) && a.PrefixLength == subnet.PrefixLength))
            {
                continue;
            }

            foreach (var other in present.Where(a => a.PrefixLength == subnet.PrefixLength && subnet.Contains(a.Address)))
            {
                if (!settings.ForceAddress)
                {
                    throw new CniException(
                        CniErrorCode.InvalidNetworkConfig,
                        $"bridge {bridge.Name} already has {other} in {subnet}, not the gateway {gateway}; set 'forceAddress' to replace it");
                }

                host.DeleteAddress(bridge.Index, other.Address, other.PrefixLength);
                log.Info($"forceAddress: removed {other} from {bridge.Name}");
            }

            try
            {
                host.AddAddress(bridge.Index, gateway, subnet.PrefixLength, gateway.AddressFamily == AddressFamily.InterNetworkV6 ? AddressFlags.NoDad : AddressFlags.None);
            }
            catch (LinuxException error) when (error.Is(Errno.EEXIST))
            {
                // Added by a concurrent ADD.
            }
        }
    }

    /// <summary>
    /// Turns on forwarding for the families in use, in the node's namespace. Read through netlink
    /// (<see cref="Rtnl.IsForwarding"/>: no /proc/sys lookup, whose cost grows with the pods on the
    /// node), written through /proc/sys the one time it is off.
    /// </summary>
    public void EnableForwarding(IReadOnlyList<CniIpConfig> ips)
    {
        if (ips.Any(ip => ip.ParsedAddress.IsIPv4) && !host.IsForwarding(AddressFamily.InterNetwork))
        {
            Linux.Sysctl.Sysctl.Write("net.ipv4.ip_forward", "1");
            log.Info("enabled net.ipv4.ip_forward");
        }

        if (ips.Any(ip => !ip.ParsedAddress.IsIPv4) && !host.IsForwarding(AddressFamily.InterNetworkV6))
        {
            Linux.Sysctl.Sysctl.Write("net.ipv6.conf.all.forwarding", "1");
            log.Info("enabled net.ipv6.conf.all.forwarding");
        }
    }

    /// <summary>A locally administered MAC derived from the bridge name: stable across restarts and port changes.</summary>
    public static PhysicalAddress StableMac(string bridgeName)
    {
        var mac = BitConverter.GetBytes(StableHash.Of("sluice bridge " + bridgeName))[..6];
        mac[0] = (byte)((mac[0] & 0xfe) | 0x02);
        return new PhysicalAddress(mac);
    }
}
