using System.Buffers.Binary;
using Sluice.Linux.Netlink;
using static Sluice.Linux.Nftables.NftConstants;

namespace Sluice.Linux.Nftables;

/// <summary>
/// One nf_tables expression of a rule. Each type writes the attributes the kernel expects; the
/// same bytes, read back by <see cref="NftExprText"/>, give the canonical text used to compare a
/// desired rule with what the kernel holds. Registers: 1 is the 16-byte NFT_REG_1, 0 the verdict.
/// </summary>
public abstract record NftExpr
{
    internal abstract string Name { get; }

    internal abstract void WriteData(NetlinkWriter writer);

    internal static void WriteValue(NetlinkWriter writer, ushort type, ReadOnlySpan<byte> value)
    {
        var nest = writer.BeginNested(type);
        writer.Attribute(NFTA_DATA_VALUE, value);
        writer.EndNested(nest);
    }
}

/// <summary><c>meta KEY → reg</c></summary>
public sealed record NftMetaLoad(NftMetaKey Key, uint Register = 1) : NftExpr
{
    internal override string Name => "meta";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_META_KEY, (uint)Key);
        writer.AttributeU32BigEndian(NFTA_META_DREG, Register);
    }
}

/// <summary><c>meta KEY set reg</c> (e.g. <c>meta mark set</c>).</summary>
public sealed record NftMetaStore(NftMetaKey Key, uint Register = 1) : NftExpr
{
    internal override string Name => "meta";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_META_KEY, (uint)Key);
        writer.AttributeU32BigEndian(NFTA_META_SREG, Register);
    }
}

/// <summary><c>payload BASE+OFFSET LEN → reg</c></summary>
public sealed record NftPayloadLoad(NftPayloadBase Base, uint Offset, uint Length, uint Register = 1) : NftExpr
{
    internal override string Name => "payload";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_PAYLOAD_DREG, Register);
        writer.AttributeU32BigEndian(NFTA_PAYLOAD_BASE, (uint)Base);
        writer.AttributeU32BigEndian(NFTA_PAYLOAD_OFFSET, Offset);
        writer.AttributeU32BigEndian(NFTA_PAYLOAD_LEN, Length);
    }
}

/// <summary><c>cmp OP reg DATA</c></summary>
public sealed record NftCmp(NftCmpOp Op, byte[] Data, uint Register = 1) : NftExpr
{
    internal override string Name => "cmp";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_CMP_SREG, Register);
        writer.AttributeU32BigEndian(NFTA_CMP_OP, (uint)Op);
        WriteValue(writer, NFTA_CMP_DATA, Data);
    }
}

/// <summary><c>reg = (reg &amp; MASK) ^ XOR</c></summary>
public sealed record NftBitwise(byte[] Mask, byte[] Xor, uint Register = 1) : NftExpr
{
    internal override string Name => "bitwise";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_BITWISE_SREG, Register);
        writer.AttributeU32BigEndian(NFTA_BITWISE_DREG, Register);
        writer.AttributeU32BigEndian(NFTA_BITWISE_LEN, (uint)Mask.Length);
        WriteValue(writer, NFTA_BITWISE_MASK, Mask);
        WriteValue(writer, NFTA_BITWISE_XOR, Xor);
    }
}

/// <summary><c>reg [!]in @SET</c></summary>
public sealed record NftLookup(string Set, bool Invert = false, uint Register = 1) : NftExpr
{
    internal override string Name => "lookup";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeString(NFTA_LOOKUP_SET, Set);
        writer.AttributeU32BigEndian(NFTA_LOOKUP_SREG, Register);
        if (Invert)
        {
            writer.AttributeU32BigEndian(NFTA_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
        }
    }
}

/// <summary><c>ct KEY → reg</c></summary>
public sealed record NftCtLoad(NftCtKey Key, uint Register = 1) : NftExpr
{
    internal override string Name => "ct";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_CT_KEY, (uint)Key);
        writer.AttributeU32BigEndian(NFTA_CT_DREG, Register);
    }
}

/// <summary><c>reg = DATA</c></summary>
public sealed record NftImmediate(byte[] Data, uint Register = 1) : NftExpr
{
    internal override string Name => "immediate";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_IMMEDIATE_DREG, Register);
        WriteValue(writer, NFTA_IMMEDIATE_DATA, Data);
    }

    public static NftImmediate Port(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        return new NftImmediate(bytes);
    }

    /// <summary>A 32-bit value in host byte order (marks are host-order in nftables registers).</summary>
    public static NftImmediate HostU32(uint value) => new(BitConverter.GetBytes(value));
}

/// <summary>A verdict: accept, drop, return, jump CHAIN, goto CHAIN.</summary>
public sealed record NftVerdict(NftVerdictKind Kind, string? Chain = null) : NftExpr
{
    public static NftVerdict Accept { get; } = new(NftVerdictKind.Accept);

    public static NftVerdict Drop { get; } = new(NftVerdictKind.Drop);

    public static NftVerdict Return { get; } = new(NftVerdictKind.Return);

    internal override string Name => "immediate";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_IMMEDIATE_DREG, 0);
        var data = writer.BeginNested(NFTA_IMMEDIATE_DATA);
        var verdict = writer.BeginNested(NFTA_DATA_VERDICT);
        writer.AttributeU32BigEndian(NFTA_VERDICT_CODE, unchecked((uint)Code));
        if (Chain is not null)
        {
            writer.AttributeString(NFTA_VERDICT_CHAIN, Chain);
        }

        writer.EndNested(verdict);
        writer.EndNested(data);
    }

    private int Code => Kind switch
    {
        NftVerdictKind.Accept => NF_ACCEPT,
        NftVerdictKind.Drop => NF_DROP,
        NftVerdictKind.Return => NFT_RETURN,
        NftVerdictKind.Jump => NFT_JUMP,
        _ => NFT_GOTO,
    };
}

/// <summary><c>masquerade</c></summary>
public sealed record NftMasquerade : NftExpr
{
    internal override string Name => "masq";

    internal override void WriteData(NetlinkWriter writer)
    {
    }
}

/// <summary>
/// <c>redirect to :port</c> with the port in <paramref name="PortRegister"/>. The range's upper end
/// names the same register, as the kernel reports it back whether or not it was sent.
/// </summary>
public sealed record NftRedirect(uint PortRegister = 1) : NftExpr
{
    internal override string Name => "redir";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_REDIR_REG_PROTO_MIN, PortRegister);
        writer.AttributeU32BigEndian(NFTA_REDIR_REG_PROTO_MAX, PortRegister);
        writer.AttributeU32BigEndian(NFTA_REDIR_FLAGS, NF_NAT_RANGE_PROTO_SPECIFIED);
    }
}

/// <summary><c>tproxy [ip|ip6] to :port</c> with the port in <paramref name="PortRegister"/>.</summary>
public sealed record NftTproxy(NftFamily Family, uint PortRegister = 1) : NftExpr
{
    internal override string Name => "tproxy";

    internal override void WriteData(NetlinkWriter writer)
    {
        writer.AttributeU32BigEndian(NFTA_TPROXY_FAMILY, (uint)Family);
        writer.AttributeU32BigEndian(NFTA_TPROXY_REG_PORT, PortRegister);
    }
}

/// <summary><c>counter</c></summary>
public sealed record NftCounter : NftExpr
{
    internal override string Name => "counter";

    internal override void WriteData(NetlinkWriter writer)
    {
    }
}
