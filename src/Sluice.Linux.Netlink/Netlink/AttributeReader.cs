using System.Buffers.Binary;
using System.Net;
using System.Text;
using static Sluice.Linux.Netlink.NetlinkConstants;

namespace Sluice.Linux.Netlink;

/// <summary>Walks the attributes (type, value) of a netlink payload; nested attributes are walked with a new reader over the value.</summary>
public ref struct AttributeReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    /// <summary>The next attribute, with the nested and byte-order flags masked off the type.</summary>
    public bool Next(out ushort type, out ReadOnlySpan<byte> value)
    {
        type = 0;
        value = default;
        if (_rest.Length < NLA_HDRLEN)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < NLA_HDRLEN || length > _rest.Length)
        {
            return false;
        }

        type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & NLA_TYPE_MASK);
        value = _rest[NLA_HDRLEN..length];
        _rest = _rest[Math.Min(Align(length), _rest.Length)..];
        return true;
    }

    /// <summary>The value of the first attribute of <paramref name="type"/> in <paramref name="data"/> (a nest is looked into with another call).</summary>
    public static bool TryFind(ReadOnlySpan<byte> data, ushort type, out ReadOnlySpan<byte> value)
    {
        var reader = new AttributeReader(data);
        while (reader.Next(out var found, out value))
        {
            if (found == type)
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    public static uint U32(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt32LittleEndian(value);

    public static uint U32BigEndian(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt32BigEndian(value);

    public static ulong U64BigEndian(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt64BigEndian(value);

    public static ushort U16(ReadOnlySpan<byte> value) => BinaryPrimitives.ReadUInt16LittleEndian(value);

    public static string String(ReadOnlySpan<byte> value)
    {
        var end = value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end >= 0 ? value[..end] : value);
    }

    public static IPAddress Address(ReadOnlySpan<byte> value) => new(value);
}
