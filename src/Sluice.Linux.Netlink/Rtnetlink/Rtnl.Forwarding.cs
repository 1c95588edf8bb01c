using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Sluice.Linux.Interop;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary><c>bridge fdb show dev X</c>: the forwarding entries of one device.</summary>
    public IReadOnlyList<ForwardingEntry> ListForwardingEntries(int index)
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new NdMsg { Family = Libc.AF_BRIDGE });
                writer.EndMessage(start);
            },
            In($"listing forwarding entries of link #{index}"),
            (in NetlinkMessage message, ICollection<ForwardingEntry> result) =>
            {
                if (message.Type == RTM_NEWNEIGH && ParseForwardingEntry(message.Payload) is { } entry && entry.Index == index)
                {
                    result.Add(entry);
                }
            });
    }

    /// <summary>
    /// <c>bridge fdb replace MAC dev X dst DESTINATION self permanent</c>: frames to
    /// <paramref name="mac"/> leave the VXLAN device <paramref name="index"/> for the underlay
    /// address <paramref name="destination"/>.
    /// </summary>
    public void ReplaceForwardingEntry(int index, PhysicalAddress mac, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(mac);
        ArgumentNullException.ThrowIfNull(destination);
        var start = _socket.Begin(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
        _socket.Writer.Struct(new NdMsg { Family = Libc.AF_BRIDGE, Index = index, State = NUD_PERMANENT, Flags = NTF_SELF });
        _socket.Writer.Attribute(NDA_LLADDR, mac.GetAddressBytes());
        _socket.Writer.AttributeAddress(NDA_DST, destination);
        _socket.Execute(start, In($"setting forwarding entry {mac} dst {destination} on link #{index}"));
    }

    /// <summary><c>bridge fdb del MAC dev X dst DESTINATION self</c>; false when there was no such entry.</summary>
    public bool DeleteForwardingEntry(int index, PhysicalAddress mac, IPAddress? destination)
    {
        ArgumentNullException.ThrowIfNull(mac);
        var start = _socket.Begin(RTM_DELNEIGH, 0);
        _socket.Writer.Struct(new NdMsg { Family = Libc.AF_BRIDGE, Index = index, Flags = NTF_SELF });
        _socket.Writer.Attribute(NDA_LLADDR, mac.GetAddressBytes());
        if (destination is not null)
        {
            _socket.Writer.AttributeAddress(NDA_DST, destination);
        }

        try
        {
            _socket.Execute(start, In($"deleting forwarding entry {mac} on link #{index}"));
            return true;
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            return false;
        }
    }

    private static ForwardingEntry? ParseForwardingEntry(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<NdMsg>(payload);
        if (header.Family != Libc.AF_BRIDGE)
        {
            return null;
        }

        IPAddress? destination = null;
        PhysicalAddress? mac = null;
        var reader = new AttributeReader(AfterHeader<NdMsg>(payload));
        while (reader.Next(out var type, out var value))
        {
            if (type == NDA_DST)
            {
                destination = AttributeReader.Address(value);
            }
            else if (type == NDA_LLADDR)
            {
                mac = new PhysicalAddress(value.ToArray());
            }
        }

        return mac is null ? null : new ForwardingEntry(header.Index, mac, destination, header.State, (header.Flags & NTF_SELF) != 0);
    }
}
