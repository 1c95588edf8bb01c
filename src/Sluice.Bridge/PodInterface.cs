using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Sluice.Cni;
using Sluice.Cni.Logging;
using Sluice.Cni.Results;
using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Net;

namespace Sluice.Bridge;

/// <summary>
/// The pod's side: a veth whose peer is created directly in the pod's namespace under CNI_IFNAME,
/// the host end (named from the attachment, tagged, attached to the bridge), then the pod's
/// addresses and routes. The calling thread enters the pod namespace once, to open the netlink
/// socket and set the interface's sysctls, and comes back; everything else goes through that socket.
/// </summary>
internal sealed class PodInterface : IDisposable
{
    private static readonly TimeSpan DadBound = TimeSpan.FromSeconds(10);
    private readonly Rtnl _pod;
    private readonly CniLog _log;

    private PodInterface(Rtnl pod, Link host, Link link, CniLog log)
    {
        _pod = pod;
        Host = host;
        Link = link;
        _log = log;
    }

    public Link Host { get; }

    public Link Link { get; }

    public static PodInterface Create(Rtnl host, NetNs podNs, Link bridge, string hostName, string tag, string ifName, BridgeSettings settings, PhysicalAddress? mac, CniLog log)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(podNs);
        host.CreateVeth(hostName, ifName, podNs, settings.Mtu, mac: null, peerMac: mac);
        try
        {
            var hostLink = host.GetLink(hostName);
            // A bridge port needs no IPv6 of its own: without it the kernel skips link-local DAD and
            // multicast listener reports on every host veth, work that grows with the pods on the node.
            TrySet($"net/ipv6/conf/{hostName}/disable_ipv6", "1");
            // Up with the bridge port in one request: no frame passes before hairpin is set, the
            // pod end is still down (so there is no carrier), whichever the kernel applies first.
            host.AttachUp(hostLink.Index, bridge.Index, tag);
            if (settings.HairpinMode)
            {
                host.SetHairpin(hostLink.Index, true);
            }

            var pod = podNs.Run(() =>
            {
                SetInterfaceSysctls(ifName, settings.EnableDad);
                return Rtnl.Open(podNs.Description);
            });
            // The result needs the ends' names, addresses and MTUs, which neither the bridge nor
            // bringing them up changes: read once, not again.
            try
            {
                var podLink = pod.GetLink(ifName);
                // A gratuitous ARP when the link comes up. Set through netlink: a /proc/sys path is
                // looked up among every namespace's entries, a cost that grows with the pods.
                pod.SetIpv4DeviceSetting(podLink.Index, Rtnl.Ipv4DeviceSetting.ArpNotify, 1);
                // Up now, not once the addresses are known: bringing it up starts the kernel's
                // IPv6 link-local work (a worker that holds the rtnl lock while it sends the
                // pod's first MLD reports and router solicitation, flooded to every bridge
                // port), which then overlaps the IPAM step instead of stalling the address adds
                // that would follow it.
                pod.SetUp(podLink.Index);
                return new PodInterface(pod, hostLink, podLink, log);
            }
            catch
            {
                pod.Dispose();
                throw;
            }
        }
        catch
        {
            // The caller's rollback only knows of the veth once this returns: a step that fails
            // here (the kernel refusing an alias longer than IFALIASZ for a long container ID,
            // say) must not leave the pair behind. Deleting the host end takes the peer with it.
            try
            {
                host.DeleteLink(hostName);
            }
            catch (LinuxException error)
            {
                log.Warn($"removing veth {hostName} after a failed ADD: {error.Message}");
            }

            throw;
        }
    }

    /// <summary>Adds the IPAM result's addresses and routes (the link is already up), and default routes when the bridge is the default gateway.</summary>
    public List<CniRoute> Configure(CniResult ipam, BridgeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(ipam);
        var ips = ipam.Ips ?? [];
        foreach (var ip in ips)
        {
            var address = ip.ParsedAddress;
            var flags = !address.IsIPv4 && !settings.EnableDad ? AddressFlags.NoDad : AddressFlags.None;
            _pod.AddAddress(Link.Index, address.Address, address.PrefixLength, flags);
        }

        if (settings.EnableDad && ips.Any(ip => !ip.ParsedAddress.IsIPv4))
        {
            WaitForDad();
        }

        var routes = (ipam.Routes ?? []).Select(r => r.Clone()).ToList();
        if (settings.IsDefaultGateway)
        {
            foreach (var ip in ips.Where(ip => ip.Gateway is not null))
            {
                var v4 = ip.ParsedAddress.IsIPv4;
                var any = v4 ? "0.0.0.0/0" : "::/0";
                routes.RemoveAll(r => r.Dst == any);
                routes.Add(new CniRoute { Dst = any, Gw = ip.Gateway });
            }
        }

        foreach (var route in routes)
        {
            _pod.AddRoute(ToKernelRoute(route, ips));
        }

        return routes;
    }

    public void Dispose() => _pod.Dispose();

    private Route ToKernelRoute(CniRoute route, IReadOnlyList<CniIpConfig> ips)
    {
        var destination = InterfaceAddress.Parse(route.Dst).Network;
        var family = destination.BaseAddress.AddressFamily;
        var gateway = route.Gw is not null
            ? IpText.Parse(route.Gw, "route gateway")
            : ips.FirstOrDefault(ip => ip.ParsedGateway?.AddressFamily == family)?.ParsedGateway;
        return new Route
        {
            Family = family,
            Destination = destination.PrefixLength == 0 ? null : destination,
            Gateway = gateway,
            OutputIndex = Link.Index,
            Metric = route.Priority,
            Mtu = route.Mtu,
            AdvMss = route.AdvMss,
            Table = route.Table ?? Route.Tables.Main,
            Scope = route.Scope is { } scope ? (Scope)scope : null,
        };
    }

    private void WaitForDad()
    {
        var deadline = DateTime.UtcNow + DadBound;
        while (_pod.ListAddresses(Link.Index, AddressFamily.InterNetworkV6).Any(a => a.Flags.HasFlag(AddressFlags.Tentative)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new CniException(SluiceErrorCode.KernelRejected, $"IPv6 duplicate address detection on {Link.Name} did not finish within {DadBound.TotalSeconds:F0} s");
            }

            Thread.Sleep(20);
        }

        if (_pod.ListAddresses(Link.Index, AddressFamily.InterNetworkV6).FirstOrDefault(a => a.Flags.HasFlag(AddressFlags.DadFailed)) is { } failed)
        {
            throw new CniException(SluiceErrorCode.KernelRejected, $"IPv6 address {failed} on {Link.Name} failed duplicate address detection");
        }

        _log.Debug("IPv6 duplicate address detection finished");
    }

    /// <summary>DAD off unless asked for (no multi-second settle); IPv6 device settings have no netlink setter.</summary>
    private static void SetInterfaceSysctls(string ifName, bool enableDad)
    {
        TrySet($"net/ipv6/conf/{ifName}/accept_dad", enableDad ? "1" : "0");
    }

    private static void TrySet(string key, string value)
    {
        try
        {
            Linux.Sysctl.Sysctl.Write(key, value);
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            // IPv6 disabled in the pod: nothing to tune.
        }
    }
}
