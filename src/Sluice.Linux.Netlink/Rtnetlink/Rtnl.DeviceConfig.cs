using System.Buffers.Binary;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// Device and namespace configuration through netlink rather than /proc/sys. A path under
/// /proc/sys/net is looked up among the entries of every network namespace on the node (they share
/// one directory cache, told apart entry by entry), so each read or write there costs more as pods
/// are added: about 0.25 ms each with 300 pod namespaces (perf, 2026-12-04). A netlink request
/// costs the same with one pod or three hundred.
/// </summary>
public sealed partial class Rtnl
{
    /// <summary>IPv4 per-device settings (<c>IPV4_DEVCONF_*</c>, include/uapi/linux/ip.h).</summary>
    public enum Ipv4DeviceSetting : ushort
    {
        ArpNotify = 22,
        RouteLocalnet = 26,
    }

    /// <summary>The value of an IPv4 setting of link #<paramref name="index"/>, as <c>/proc/sys/net/ipv4/conf/NAME/…</c> shows it (RTM_GETLINK's IFLA_AF_SPEC, AF_INET, IFLA_INET_CONF).</summary>
    public uint GetIpv4DeviceSetting(int index, Ipv4DeviceSetting setting)
    {
        var start = _socket.Begin(RTM_GETLINK, 0);
        _socket.Writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index });
        var operation = In($"reading IPv4 {setting} of link #{index}");
        // IFLA_INET_CONF is an array of u32: the value of IPV4_DEVCONF_ id N at position N - 1.
        var at = ((int)setting - 1) * 4;
        uint? found = null;
        _socket.Query(start, operation, (in NetlinkMessage message) =>
        {
            if (message.Type == RTM_NEWLINK &&
                AttributeReader.TryFind(AfterHeader<IfInfoMsg>(message.Payload), IFLA_AF_SPEC, out var spec))
            {
                found = DeviceConfValue(spec, Libc.AF_INET, IFLA_INET_CONF, at);
            }
        });
        return found ?? throw new LinuxException(operation + ": the kernel's answer had no IPv4 settings", Errno.EPROTO);
    }

    /// <summary>
    /// Whether forwarding is on for the whole namespace: <c>net.ipv4.ip_forward</c> (the same
    /// value as <c>conf.all.forwarding</c>) or <c>net.ipv6.conf.all.forwarding</c>, asked with RTM_GETNETCONF.
    /// </summary>
    public bool IsForwarding(AddressFamily family)
    {
        var start = _socket.Begin(RTM_GETNETCONF, 0);
        _socket.Writer.Struct(new NetconfMsg { Family = family == AddressFamily.InterNetwork ? (byte)Libc.AF_INET : (byte)Libc.AF_INET6 });
        Span<byte> all = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(all, NETCONFA_IFINDEX_ALL);
        _socket.Writer.Attribute(NETCONFA_IFINDEX, all);
        var operation = In($"reading the {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} forwarding setting");
        return QueryInt32(start, operation, RTM_NEWNETCONF, NETCONFA_FORWARDING) is { } on
            ? on != 0
            : throw new LinuxException(operation + ": the kernel's answer had no forwarding value", Errno.EPROTO);
    }

    /// <summary>
    /// Sets an IPv4 setting of link #<paramref name="index"/> (IFLA_AF_SPEC, AF_INET,
    /// IFLA_INET_CONF). The kernel stores the value and nothing more: where the /proc/sys handler
    /// does more (<c>route_localnet</c> and <c>forwarding</c> also flush the route cache), write
    /// through /proc/sys instead.
    /// </summary>
    public void SetIpv4DeviceSetting(int index, Ipv4DeviceSetting setting, uint value)
    {
        var writer = _socket.Writer;
        var start = _socket.Begin(RTM_SETLINK, 0);
        writer.Struct(new IfInfoMsg { Family = Libc.AF_UNSPEC, Index = index });
        var spec = writer.BeginNested(IFLA_AF_SPEC);
        var inet = writer.BeginNested(Libc.AF_INET);
        var conf = writer.BeginNested(IFLA_INET_CONF);
        writer.AttributeU32((ushort)setting, value);
        writer.EndNested(conf);
        writer.EndNested(inet);
        writer.EndNested(spec);
        _socket.Execute(start, In($"setting IPv4 {setting} to {value} on link #{index}"));
    }

    /// <summary>
    /// The id this socket's namespace gives <paramref name="other"/> (what its links' peer
    /// namespace ids are compared with), or null when it gives it none: then no link here has its
    /// peer there. <c>ip netns list-id</c> for one namespace (RTM_GETNSID, NETNSA_FD).
    /// </summary>
    public int? IdOf(Namespaces.NetNs other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var start = _socket.Begin(RTM_GETNSID, 0);
        _socket.Writer.Struct(new NetconfMsg { Family = Libc.AF_UNSPEC });
        _socket.Writer.AttributeU32(NETNSA_FD, (uint)other.Handle.Number);
        var id = QueryInt32(start, In($"asking the id of {other.Description}"), RTM_NEWNSID, NETNSA_NSID);
        return id is >= 0 ? id : null;
    }

    /// <summary>
    /// The u32 at byte <paramref name="offset"/> of a family's device configuration inside an
    /// IFLA_AF_SPEC nest (<paramref name="family"/>'s nest, its <paramref name="conf"/> attribute);
    /// null when the link has none for that family.
    /// </summary>
    private static uint? DeviceConfValue(ReadOnlySpan<byte> afSpec, int family, ushort conf, int offset) =>
        AttributeReader.TryFind(afSpec, (ushort)family, out var nest) &&
        AttributeReader.TryFind(nest, conf, out var values) &&
        values.Length >= offset + 4
            ? AttributeReader.U32(values[offset..])
            : null;

    /// <summary>
    /// Sends a request whose answer is a one-byte family header (netconfmsg, rtgenmsg) and
    /// attributes, and returns the s32 <paramref name="attribute"/> of the <paramref name="reply"/>
    /// message; null when the answer has none.
    /// </summary>
    private int? QueryInt32(int start, string operation, ushort reply, ushort attribute)
    {
        int? found = null;
        _socket.Query(start, operation, (in NetlinkMessage message) =>
        {
            // The attributes follow the one-byte header at the next alignment boundary.
            var header = Align(1);
            if (message.Type == reply && message.Payload.Length >= header &&
                AttributeReader.TryFind(message.Payload[header..], attribute, out var value) && value.Length >= 4)
            {
                found = BinaryPrimitives.ReadInt32LittleEndian(value);
            }
        });
        return found;
    }
}
