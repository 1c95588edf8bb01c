using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sluice.Linux.Interop;
using Sluice.Linux.Netlink;
using Sluice.Linux.Rtnetlink.Wire;
using static Sluice.Linux.Netlink.NetlinkConstants;
using static Sluice.Linux.Rtnetlink.Wire.RtnlConstants;

namespace Sluice.Linux.Rtnetlink;

public sealed partial class Rtnl
{
    /// <summary><c>ip addr add ADDRESS/PREFIX dev X [nodad] [scope S]</c> (IPv4 gets its broadcast address, as <c>brd +</c>).</summary>
    public void AddAddress(int index, IPAddress address, int prefixLength, AddressFlags flags = AddressFlags.None, Scope scope = Scope.Universe) =>
        ChangeAddress(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, address, prefixLength, flags, scope, "adding");

    /// <summary><c>ip addr del ADDRESS/PREFIX dev X</c></summary>
    public void DeleteAddress(int index, IPAddress address, int prefixLength) =>
        ChangeAddress(RTM_DELADDR, 0, index, address, prefixLength, AddressFlags.None, Scope.Universe, "deleting");

    /// <summary><c>ip addr show [dev X]</c>, optionally for one family.</summary>
    public IReadOnlyList<AddressInfo> ListAddresses(int index = 0, AddressFamily family = AddressFamily.Unspecified)
    {
        return _socket.Dump(
            (writer, sequence) =>
            {
                var start = writer.BeginMessage(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, sequence);
                writer.Struct(new IfAddrMsg { Family = FamilyOf(family), Index = (uint)index });
                writer.EndMessage(start);
            },
            In("listing addresses"),
            (in NetlinkMessage message, ICollection<AddressInfo> result) =>
            {
                if (message.Type == RTM_NEWADDR && ParseAddress(message.Payload) is { } info &&
                    (index == 0 || info.Index == index) &&
                    (family == AddressFamily.Unspecified || info.Address.AddressFamily == family))
                {
                    result.Add(info);
                }
            });
    }

    private void ChangeAddress(ushort type, ushort flags, int index, IPAddress address, int prefixLength, AddressFlags addressFlags, Scope scope, string verb)
    {
        ArgumentNullException.ThrowIfNull(address);
        var writer = _socket.Writer;
        var start = _socket.Begin(type, flags);
        writer.Struct(new IfAddrMsg
        {
            Family = FamilyOf(address.AddressFamily),
            PrefixLength = (byte)prefixLength,
            Flags = (byte)((uint)addressFlags & 0xff),
            Scope = (byte)scope,
            Index = (uint)index,
        });
        writer.AttributeAddress(IFA_LOCAL, address);
        writer.AttributeAddress(IFA_ADDRESS, address);
        if (address.AddressFamily == AddressFamily.InterNetwork && prefixLength < 31 && type == RTM_NEWADDR)
        {
            writer.AttributeAddress(IFA_BROADCAST, Broadcast(address, prefixLength));
        }

        if (addressFlags != AddressFlags.None)
        {
            writer.AttributeU32(IFA_FLAGS, (uint)addressFlags);
        }

        _socket.Execute(start, In($"{verb} address {address}/{prefixLength} on link #{index}"));
    }

    private static IPAddress Broadcast(IPAddress address, int prefixLength)
    {
        var bytes = address.GetAddressBytes();
        var value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes) | (prefixLength == 0 ? uint.MaxValue : uint.MaxValue >> prefixLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    private static AddressInfo? ParseAddress(ReadOnlySpan<byte> payload)
    {
        var header = MemoryMarshal.Read<IfAddrMsg>(payload);
        IPAddress? local = null, address = null;
        string? label = null;
        uint? created = null;
        var flags = (AddressFlags)header.Flags;
        var reader = new AttributeReader(AfterHeader<IfAddrMsg>(payload));
        while (reader.Next(out var type, out var value))
        {
            switch (type)
            {
                case IFA_LOCAL:
                    local = AttributeReader.Address(value);
                    break;
                case IFA_ADDRESS:
                    address = AttributeReader.Address(value);
                    break;
                case IFA_LABEL:
                    label = AttributeReader.String(value);
                    break;
                case IFA_FLAGS:
                    flags = (AddressFlags)AttributeReader.U32(value);
                    break;
                case IFA_CACHEINFO when value.Length >= 16:
                    // struct ifa_cacheinfo: ifa_prefered, ifa_valid, cstamp, tstamp.
                    created = AttributeReader.U32(value[8..]);
                    break;
            }
        }

        // For point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is ours when present.
        var own = local ?? address;
        return own is null ? null : new AddressInfo((int)header.Index, own, header.PrefixLength, (Scope)header.Scope, flags, label, created);
    }
}
