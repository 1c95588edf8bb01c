using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Sluice.Agent.Network;

/// <summary>
/// The MAC of a node's VXLAN device, derived from the node's name and the underlay family: the
/// first six bytes of SHA-256("sluice-vtep", family, name), made a locally administered unicast
/// address. Every agent computes every other node's MAC itself, so the MAC is stable across agent
/// restarts, reinstalls and reboots without being stored anywhere, and the agent needs no write
/// access to Node objects to publish it (flannel's annotation needs <c>nodes patch</c>). Two nodes
/// collide with probability about n²/2⁴⁷ (10⁻⁷ at 5,000 nodes); the agent says so if it happens.
/// This derivation is a contract between agent versions: changing it would split a cluster being upgraded.
/// </summary>
public static class VtepMac
{
    public static PhysicalAddress For(string node, AddressFamily family)
    {
        ArgumentNullException.ThrowIfNull(node);
        var input = Encoding.UTF8.GetBytes($"sluice-vtep\0{(family == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4")}\0{node}");
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var mac = hash[..6].ToArray();
        mac[0] = (byte)((mac[0] & 0xFC) | 0x02);
        return new PhysicalAddress(mac);
    }
}
