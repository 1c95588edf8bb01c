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
    /// <summary><c>ip neigh show [dev X]</c></summary>
    public IReadOnlyList<Neighbour> ListNeighbours(int index = 0)
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new NdMsg { Family = Libc.AF_UNSPEC });
                writer.EndMessage(start);
            },
            In("listing neighbours"),
            (in NetlinkMessage message, ICollection<Neighbour> result) =>
            {
                if (message.Type == RTM_NEWNEIGH && ParseNeighbour(message.Payload) is { } entry && (index == 0 || entry.Index == index))
                {
                    result.Add(entry);
                }
            });
    }

    /// <summary><c>ip neigh replace ADDRESS lladdr MAC dev X nud permanent</c>: an entry the kernel never ages out or probes.</summary>
    public void ReplacePermanentNeighbour(int index, IPAddress address, PhysicalAddress mac)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(mac);
        var start = _socket.Begin(RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_REPLACE);
        _socket.Writer.Struct(new NdMsg { Family = FamilyOf(address.AddressFamily), Index = index, State = NUD_PERMANENT });
        _socket.Writer.AttributeAddress(NDA_DST, address);
        _socket.Writer.Attribute(NDA_LLADDR, mac.GetAddressBytes());
        _socket.Execute(start, In($"setting neighbour {address} lladdr {mac} on link #{index}"));
    }

    /// <summary><c>ip neigh del ADDRESS dev X</c>; false when there was no such entry.</summary>
    public bool DeleteNeighbour(int index, IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var start = _socket.Begin(RTM_DELNEIGH, 0);
        _socket.Writer.Struct(new NdMsg { Family = FamilyOf(address.AddressFamily), Index = index });
        _socket.Writer.AttributeAddress(NDA_DST, address);
        try
        {
            _socket.Execute(start, In($"deleting neighbour {address} on link #{index}"));
            return true;
        }
        catch (LinuxException error) when (error.Is(Errno.ENOENT))
        {
            return false;
        }
    }

    /// <summary><c>ip neigh flush dev X</c>; returns how many entries were removed.</summary>
    public int FlushNeighbours(int index)
    {
        var removed = 0;
        foreach (var entry in ListNeighbours(index))
        {
            var start = _socket.Begin(RTM_DELNEIGH, 0);
            _socket.Writer.Struct(new NdMsg { Family = FamilyOf(entry.Address.AddressFamily), Index = entry.Index });
            _socket.Writer.AttributeAddress(NDA_DST, entry.Address);
            try
            {
                _socket.Execute(start, In($"deleting neighbour {entry.Address} on link #{index}"));
                removed++;
            }
            catch (LinuxException error) when (error.Is(Errno.ENOENT))
            {
                // Gone in between: that is what we wanted.
            }
        }

        return removed;
    }

    private static Neighbour? ParseNeighbour(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<NdMsg>(payload);
        IPAddress? address = null;
        PhysicalAddress? mac = null;
        var reader = new AttributeReader(AfterHeader<NdMsg>(payload));
        while (reader.Next(out var type, out var value))
        {
            if (type == NDA_DST)
            {
                address = AttributeReader.Address(value);
            }
            else if (type == NDA_LLADDR)
            {
                mac = new PhysicalAddress(value.ToArray());
            }
        }

        return address is null ? null : new Neighbour(header.Index, address, mac, header.State);
    }
}
