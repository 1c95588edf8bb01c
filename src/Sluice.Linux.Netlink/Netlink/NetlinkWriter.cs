using System.Buffers.Binary;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using static Sluice.Linux.Netlink.NetlinkConstants;

namespace Sluice.Linux.Netlink;

/// <summary>
/// Builds netlink messages into one reusable buffer: a header, a fixed family struct, then
/// attributes (nested ones by begin/end). Lengths and 4-byte alignment are handled here.
/// </summary>
public sealed class NetlinkWriter
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public void Reset() => _length = 0;

    /// <summary>Starts a message; returns its offset for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence)
    {
        var start = _length;
        var header = Reserve(NLMSG_HDRLEN);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0);
        return start;
    }

    /// <summary>Adds header flags to the message at <paramref name="start"/>.</summary>
    public void AddFlags(int start, ushort flags)
    {
        var span = _buffer.AsSpan(start + 6, 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span) | flags));
    }

    public void EndMessage(int start) =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(_length - start));

    /// <summary>A family header (ifinfomsg, rtmsg, …) written as its in-memory layout.</summary>
    public void Struct<T>(in T value)
        where T : unmanaged
    {
        // Unsafe.SizeOf: the bytes MemoryMarshal.Write writes (Marshal.SizeOf looks up marshalling data at run time).
        MemoryMarshal.Write(Reserve(Align(Unsafe.SizeOf<T>())), in value);
    }

    public void Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        var total = NLA_HDRLEN + value.Length;
        var span = Reserve(Align(total));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        value.CopyTo(span[NLA_HDRLEN..]);
    }

    public void AttributeU8(ushort type, byte value) => Attribute(type, [value]);

    public void AttributeU16(ushort type, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        Attribute(type, bytes);
    }

    public void AttributeU32(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Attribute(type, bytes);
    }

    /// <summary>A 32-bit value in network byte order (nftables attributes are big-endian).</summary>
    public void AttributeU32BigEndian(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Attribute(type, bytes);
    }

    public void AttributeU64BigEndian(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        Attribute(type, bytes);
    }

    /// <summary>A NUL-terminated string, as the kernel expects for names.</summary>
    public void AttributeString(ushort type, string value)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Span<byte> bytes = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        bytes[count] = 0;
        Attribute(type, bytes);
    }

    public void AttributeAddress(ushort type, IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        Attribute(type, bytes[..written]);
    }

    public void AttributeFlag(ushort type) => Attribute(type, []);

    /// <summary>Starts a nested attribute; returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        var start = _length;
        var span = Reserve(NLA_HDRLEN);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NLA_F_NESTED));
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        span.Clear();
        _length += count;
        return span;
    }
}
