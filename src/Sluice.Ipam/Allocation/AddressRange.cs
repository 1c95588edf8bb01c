using System.Net;
using System.Net.Sockets;

namespace Sluice.Ipam.Allocation;

/// <summary>
/// One validated range of a range set: a subnet, the first and last address handed out, and the
/// gateway (never handed out). Defaults follow host-local: start at network+1, end at the last
/// address (the one before broadcast for IPv4), gateway network+1.
/// </summary>
public sealed record AddressRange(IPNetwork Subnet, IPAddress Start, IPAddress End, IPAddress Gateway)
{
    public AddressFamily Family => Subnet.BaseAddress.AddressFamily;

    public UInt128 StartNumber => IpMath.ToNumber(Start);

    public UInt128 EndNumber => IpMath.ToNumber(End);

    public bool Contains(IPAddress address) =>
        address.AddressFamily == Family &&
        IpMath.ToNumber(address) is var n && n >= StartNumber && n <= EndNumber;

    public bool Overlaps(AddressRange other) =>
        Family == other.Family && StartNumber <= other.EndNumber && other.StartNumber <= EndNumber;

    /// <summary>How many addresses the range can hand out (the gateway excluded).</summary>
    public UInt128 Capacity => EndNumber - StartNumber + 1 - (Contains(Gateway) ? UInt128.One : UInt128.Zero);

    public override string ToString() => $"{Subnet} ({Start}-{End})";
}
