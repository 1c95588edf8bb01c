using System.Runtime.InteropServices;

namespace Sluice.Linux.Rtnetlink.Wire;

/// <summary>struct netconfmsg (one byte, padded to the netlink alignment when written).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetconfMsg
{
    public byte Family;
}
