using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Sluice.Linux.Nftables;

/// <summary>struct nfgenmsg: family, version, and the big-endian resource id.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NfGenMsg
{
    public byte Family;
    public byte Version;
    public ushort ResourceIdBigEndian;

    public static NfGenMsg For(NftFamily family, ushort resourceId = 0) => new()
    {
        Family = (byte)family,
        Version = 0,
        ResourceIdBigEndian = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(resourceId) : resourceId,
    };
}
