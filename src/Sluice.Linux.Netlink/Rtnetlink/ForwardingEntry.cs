using System.Net;
using System.Net.NetworkInformation;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// A forwarding database entry of a device (<c>bridge fdb show dev X</c>): on a VXLAN device, the
/// underlay address (<see cref="Destination"/>) that frames to <see cref="Mac"/> are sent to.
/// <see cref="Self"/>: the device's own entry (NTF_SELF), not a bridge's it is a port of.
/// </summary>
public sealed record ForwardingEntry(int Index, PhysicalAddress Mac, IPAddress? Destination, ushort State, bool Self)
{
    public bool IsPermanent => (State & 0x80) != 0;
}
