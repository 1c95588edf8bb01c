using System.Runtime.InteropServices;

namespace Sluice.Linux.Rtnetlink.Wire;

/// <summary>struct rtmsg.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RtMsg
{
    public byte Family;
    public byte DstLength;
    public byte SrcLength;
    public byte Tos;
    public byte Table;
    public byte Protocol;
    public byte Scope;
    public byte Type;
    public uint Flags;
}
