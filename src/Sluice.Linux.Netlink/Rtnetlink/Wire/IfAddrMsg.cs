using System.Runtime.InteropServices;

namespace Sluice.Linux.Rtnetlink.Wire;

/// <summary>struct ifaddrmsg.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IfAddrMsg
{
    public byte Family;
    public byte PrefixLength;
    public byte Flags;
    public byte Scope;
    public uint Index;
}
