using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Netlink;
using Sluice.Linux.Nftables;
using static Sluice.Linux.Conntrack.CtConstants;
using static Sluice.Linux.Netlink.NetlinkConstants;

namespace Sluice.Linux.Conntrack;

/// <summary>
/// The connection tracking table of one network namespace over ctnetlink (NETLINK_NETFILTER,
/// subsystem CTNETLINK), without the conntrack tool: entries listed by protocol and original
/// destination port (filtered in the kernel where it can, kernels from 5.8), and deleted one by
/// one by their original tuple.
/// </summary>
public sealed class Conntrack : IDisposable
{
    private readonly NetlinkSocket _socket;

    private Conntrack(NetlinkSocket socket) => _socket = socket;

    public string Location => _socket.Location;

    public static Conntrack Open(string location = "host netns") => new(NetlinkSocket.Open(NETLINK_NETFILTER, location));

    public static Conntrack OpenIn(NetNs ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Open(ns.Description));
    }

    /// <summary><c>conntrack -L -f ipv4|ipv6 -p PROTO --orig-port-dst PORT</c></summary>
    public IReadOnlyList<ConntrackEntry> List(AddressFamily family, byte protocol, int originalDestinationPort)
    {
        var replyType = (ushort)((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_NEW);
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage((ushort)((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET), NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(NfGenMsg.For(FamilyOf(family)));
                var tuple = writer.BeginNested(CTA_TUPLE_ORIG);
                var proto = writer.BeginNested(CTA_TUPLE_PROTO);
                writer.AttributeU8(CTA_PROTO_NUM, protocol);
                WritePort(writer, CTA_PROTO_DST_PORT, originalDestinationPort);
                writer.EndNested(proto);
                writer.EndNested(tuple);
                var filter = writer.BeginNested(CTA_FILTER);
                writer.AttributeU32(CTA_FILTER_ORIG_FLAGS, CTA_FILTER_FLAG_PROTO_NUM | CTA_FILTER_FLAG_PROTO_DST_PORT);
                writer.AttributeU32(CTA_FILTER_REPLY_FLAGS, 0);
                writer.EndNested(filter);
                writer.EndMessage(start);
            },
            $"listing {(family == AddressFamily.InterNetwork ? "IPv4" : "IPv6")} connections to port {originalDestinationPort} in {Location}",
            (in NetlinkMessage message, ICollection<ConntrackEntry> entries) =>
            {
                if (message.Type == replyType && Parse(message.Payload) is { } entry &&
                    entry.Original.Protocol == protocol && entry.Original.DestinationPort == originalDestinationPort)
                {
                    entries.Add(entry);
                }
            });
    }

    /// <summary><c>conntrack -D</c> of one entry by its original tuple; false when it was already gone.</summary>
    public bool Delete(ConntrackEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var writer = _socket.Writer;
        var start = _socket.Begin((ushort)((NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE), 0);
        writer.Struct(NfGenMsg.For(FamilyOf(entry.Original.Source.AddressFamily)));
        WriteTuple(writer, CTA_TUPLE_ORIG, entry.Original);
        if (entry.Zone != 0)
        {
            Span<byte> zone = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(zone, (ushort)entry.Zone);
            writer.Attribute(CTA_ZONE, zone);
        }

        try
        {
            _socket.Execute(start, $"deleting connection {entry} in {Location}");
            return true;
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();

    private static NftFamily FamilyOf(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? NftFamily.Ip6 : NftFamily.Ip;

    private static void WritePort(NetlinkWriter writer, ushort type, int port)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        writer.Attribute(type, bytes);
    }

    private static void WriteTuple(NetlinkWriter writer, ushort type, ConntrackTuple tuple)
    {
        var v4 = tuple.Source.AddressFamily == AddressFamily.InterNetwork;
        var nest = writer.BeginNested(type);
        var ip = writer.BeginNested(CTA_TUPLE_IP);
        writer.AttributeAddress(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, tuple.Source);
        writer.AttributeAddress(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, tuple.Destination);
        writer.EndNested(ip);
        var proto = writer.BeginNested(CTA_TUPLE_PROTO);
        writer.AttributeU8(CTA_PROTO_NUM, tuple.Protocol);
        WritePort(writer, CTA_PROTO_SRC_PORT, tuple.SourcePort);
        WritePort(writer, CTA_PROTO_DST_PORT, tuple.DestinationPort);
        writer.EndNested(proto);
        writer.EndNested(nest);
    }

    private static ConntrackEntry? Parse(ReadOnlySpan<byte> payload)
    {
        ConntrackTuple? original = null, reply = null;
        var zone = 0;
        var reader = new AttributeReader(payload[4..]); // after the nfgenmsg
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case CTA_TUPLE_ORIG:
                    original = ParseTuple(value);
                    break;
                case CTA_TUPLE_REPLY:
                    reply = ParseTuple(value);
                    break;
                case CTA_ZONE when value.Length >= 2:
                    zone = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
            }
        }

        return original is not null && reply is not null ? new ConntrackEntry(original, reply, zone) : null;
    }

    private static ConntrackTuple? ParseTuple(ReadOnlySpan<byte> value)
    {
        IPAddress? source = null, destination = null;
        byte protocol = 0;
        int sourcePort = 0, destinationPort = 0;
        var reader = new AttributeReader(value);
        while (reader.Next(out var type, out var inner))
        {
            var fields = new AttributeReader(inner);
            while (fields.Next(out var field, out var data))
            {
                switch (type, field)
                {
                    case (CTA_TUPLE_IP, CTA_IP_V4_SRC or CTA_IP_V6_SRC):
                        source = AttributeReader.Address(data);
                        break;
                    case (CTA_TUPLE_IP, CTA_IP_V4_DST or CTA_IP_V6_DST):
                        destination = AttributeReader.Address(data);
                        break;
                    case (CTA_TUPLE_PROTO, CTA_PROTO_NUM):
                        protocol = data[0];
                        break;
                    case (CTA_TUPLE_PROTO, CTA_PROTO_SRC_PORT) when data.Length >= 2:
                        sourcePort = BinaryPrimitives.ReadUInt16BigEndian(data);
                        break;
                    case (CTA_TUPLE_PROTO, CTA_PROTO_DST_PORT) when data.Length >= 2:
                        destinationPort = BinaryPrimitives.ReadUInt16BigEndian(data);
                        break;
                }
            }
        }

        return source is null || destination is null ? null : new ConntrackTuple(source, destination, protocol, sourcePort, destinationPort);
    }
}
