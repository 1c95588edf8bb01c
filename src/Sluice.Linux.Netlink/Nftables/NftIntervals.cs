using System.Buffers.Binary;
using System.Net;

namespace Sluice.Linux.Nftables;

/// <summary>Networks as interval-set elements: [first address, first address after) pairs, in network byte order.</summary>
public static class NftIntervals
{
    /// <summary>The start key and the exclusive end key (null when the network reaches the top of the address space).</summary>
    public static (byte[] First, byte[]? After) Bounds(IPNetwork network)
    {
        var first = network.BaseAddress.GetAddressBytes();
        var bits = first.Length * 8;
        if (network.PrefixLength == 0)
        {
            return (first, null);
        }

        var last = Read(first) + ((UInt128.One << (bits - network.PrefixLength)) - 1);
        var max = bits == 32 ? uint.MaxValue : UInt128.MaxValue;
        if (last == max)
        {
            return (first, null);
        }

        var after = new byte[first.Length];
        Write(after, last + 1);
        return (first, after);
    }

    /// <summary>Pairs a listing's start and end elements back into networks (pairs that are not a CIDR block are skipped).</summary>
    public static IReadOnlyList<IPNetwork> Networks(IEnumerable<NftElementInfo> elements)
    {
        var ordered = elements.OrderBy(e => Read(e.Key)).ToList();
        var result = new List<IPNetwork>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].IntervalEnd)
            {
                continue;
            }

            var first = Read(ordered[i].Key);
            var bits = ordered[i].Key.Length * 8;
            var after = i + 1 < ordered.Count && ordered[i + 1].IntervalEnd ? Read(ordered[i + 1].Key) : (bits == 32 ? (UInt128)uint.MaxValue + 1 : UInt128.Zero);
            var size = after - first;
            if (size == UInt128.Zero || (size & (size - 1)) != UInt128.Zero)
            {
                continue;
            }

            var prefix = bits - (int)UInt128.Log2(size);
            result.Add(new IPNetwork(new IPAddress(ordered[i].Key), prefix));
        }

        return result;
    }

    private static UInt128 Read(byte[] key) =>
        key.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(key) : BinaryPrimitives.ReadUInt128BigEndian(key);

    private static void Write(byte[] key, UInt128 value)
    {
        if (key.Length == 4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key, (uint)value);
        }
        else
        {
            BinaryPrimitives.WriteUInt128BigEndian(key, value);
        }
    }
}
