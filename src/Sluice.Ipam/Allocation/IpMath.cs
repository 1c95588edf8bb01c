using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Ipam.Allocation;

/// <summary>Addresses as 128-bit numbers, so ranges can be walked and counted for IPv4 and IPv6 alike.</summary>
public static class IpMath
{
    public static UInt128 ToNumber(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        return written == 4
            ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
            : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static IPAddress FromNumber(UInt128 value, AddressFamily family)
    {
        if (family == AddressFamily.InterNetwork)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)value);
            return new IPAddress(v4);
        }

        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(v6, value);
        return new IPAddress(v6);
    }

    public static int Bits(AddressFamily family) => family == AddressFamily.InterNetwork ? 32 : 128;

    /// <summary>The first and last address of a subnet.</summary>
    public static (UInt128 First, UInt128 Last) Bounds(IPNetwork network)
    {
        var bits = Bits(network.BaseAddress.AddressFamily);
        var first = ToNumber(network.BaseAddress);
        var hostBits = bits - network.PrefixLength;
        var span = hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return (first, first | span);
    }
}
