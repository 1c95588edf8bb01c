using System.Net;

namespace Sluice.Ipam.Allocation;

/// <summary>A range set: ranges of one address family from which one address is allocated per attachment.</summary>
public sealed class RangeSet(int index, IReadOnlyList<AddressRange> ranges)
{
    /// <summary>The position in the configuration; names the <c>last_reserved_ip.N</c> file.</summary>
    public int Index => index;

    public IReadOnlyList<AddressRange> Ranges => ranges;

    public AddressRange? RangeFor(IPAddress address) => ranges.FirstOrDefault(range => range.Contains(address));

    public bool Contains(IPAddress address) => RangeFor(address) is not null;

    public UInt128 Capacity => ranges.Aggregate(UInt128.Zero, (sum, range) => sum + range.Capacity);

    /// <summary>
    /// Addresses to try, in host-local's round-robin order: from the one after
    /// <paramref name="lastReserved"/> (when it lies in this set) through every range, wrapping
    /// around, ending with <paramref name="lastReserved"/> itself; gateways are skipped.
    /// </summary>
    public IEnumerable<(IPAddress Address, AddressRange Range)> Candidates(IPAddress? lastReserved)
    {
        var rangeIndex = 0;
        var next = ranges[0].StartNumber;
        if (lastReserved is not null)
        {
            for (var i = 0; i < ranges.Count; i++)
            {
                if (ranges[i].Contains(lastReserved))
                {
                    rangeIndex = i;
                    next = IpMath.ToNumber(lastReserved);
                    (rangeIndex, next) = Advance(rangeIndex, next);
                    break;
                }
            }
        }

        var total = Capacity + (UInt128)ranges.Count(range => range.Contains(range.Gateway));
        for (UInt128 step = 0; step < total; step++)
        {
            var range = ranges[rangeIndex];
            var address = IpMath.FromNumber(next, range.Family);
            if (!address.Equals(range.Gateway))
            {
                yield return (address, range);
            }

            (rangeIndex, next) = Advance(rangeIndex, next);
        }
    }

    public override string ToString() => string.Join(", ", ranges);

    private (int Range, UInt128 Next) Advance(int rangeIndex, UInt128 current)
    {
        if (current < ranges[rangeIndex].EndNumber)
        {
            return (rangeIndex, current + 1);
        }

        var following = (rangeIndex + 1) % ranges.Count;
        return (following, ranges[following].StartNumber);
    }
}
