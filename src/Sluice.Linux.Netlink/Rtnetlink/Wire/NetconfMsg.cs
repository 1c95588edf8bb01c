using System.Runtime.InteropServices;

namespace Sluice.Linux.Rtnetlink.Wire;

/// <summary>struct netconfmsg, and struct rtgenmsg of the same shape (one byte, padded to the netlink alignment when written).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetconfMsg
{
    public byte Family;
}
