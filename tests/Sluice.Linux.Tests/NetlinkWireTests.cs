using Sluice.Linux.Netlink;

namespace Sluice.Linux.Tests;

/// <summary>The wire codec as byte arrays: lengths, alignment, nesting.</summary>
public sealed class NetlinkWireTests
{
    [Fact]
    public void Writer_MessageWithPaddedStringAndNestedAttribute_HasKernelLayout()
    {
        var writer = new NetlinkWriter();
        var start = writer.BeginMessage(16, 0x405, 7);
        writer.AttributeString(3, "ab");
        var nest = writer.BeginNested(18);
        writer.AttributeU32(1, 0x01020304);
        writer.EndNested(nest);
        writer.EndMessage(start);

        byte[] expected =
        [
            36, 0, 0, 0, 16, 0, 5, 4, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: len 36, type 16, flags, seq 7, pid 0
            7, 0, 3, 0, (byte)'a', (byte)'b', 0, 0,            // IFLA_IFNAME "ab\0" + 1 pad byte
            12, 0, 18, 0x80,                                  // nested IFLA_LINKINFO, len 12, NLA_F_NESTED
            8, 0, 1, 0, 4, 3, 2, 1,                            // u32 attribute, little-endian
        ];
        Assert.Equal(expected, writer.Written.ToArray());
    }

    [Fact]
    public void Writer_BigEndianValues_AreInNetworkOrder()
    {
        var writer = new NetlinkWriter();
        writer.AttributeU32BigEndian(1, 0x01020304);
        Assert.Equal(new byte[] { 8, 0, 1, 0, 1, 2, 3, 4 }, writer.Written.ToArray());
    }

    [Fact]
    public void Reader_WalksAttributesAndStopsAtTruncation()
    {
        byte[] data = [6, 0, 1, 0, 0xaa, 0xbb, 0, 0, 8, 0, 0x02, 0x80, 1, 2, 3, 4, 9, 0, 3, 0];
        var reader = new AttributeReader(data);
        Assert.True(reader.Next(out var type, out var value));
        Assert.Equal(1, type);
        Assert.Equal(new byte[] { 0xaa, 0xbb }, value.ToArray());
        Assert.True(reader.Next(out type, out value));
        Assert.Equal(2, type); // nested flag masked off
        Assert.Equal(4, value.Length);
        Assert.False(reader.Next(out _, out _));
    }

    [Fact]
    public void Reader_StringStopsAtNul() => Assert.Equal("eth0", AttributeReader.String("eth0\0\0"u8));
}
