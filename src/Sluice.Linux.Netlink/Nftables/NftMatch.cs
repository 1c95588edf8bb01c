using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Linux.Nftables;

/// <summary>
/// Building blocks for rules, each the expressions nft itself generates for the same match
/// (<c>meta nfproto ipv4</c>, <c>ip daddr 10.0.0.0/8</c>, <c>tcp dport 554</c>, …).
/// </summary>
public static class NftMatch
{
    public const byte ProtocolTcp = 6;
    public const byte ProtocolUdp = 17;

    // NF_CT_STATE_INVALID_BIT and NF_CT_STATE_BIT(IP_CT_ESTABLISHED / IP_CT_RELATED).
    private const uint CtStateInvalidBit = 1;
    private const uint CtStateEstablishedBit = 2;
    private const uint CtStateRelatedBit = 4;

    /// <summary><c>meta nfproto ipv4|ipv6</c> (needed in inet tables before an ip/ip6 payload match).</summary>
    public static NftExpr[] Family(AddressFamily family) =>
    [
        new NftMetaLoad(NftMetaKey.NfProto),
        new NftCmp(NftCmpOp.Eq, [family == AddressFamily.InterNetwork ? (byte)NftFamily.Ip : (byte)NftFamily.Ip6]),
    ];

    /// <summary><c>meta l4proto tcp|udp</c></summary>
    public static NftExpr[] L4Protocol(byte protocol) =>
    [
        new NftMetaLoad(NftMetaKey.L4Proto),
        new NftCmp(NftCmpOp.Eq, [protocol]),
    ];

    /// <summary>
    /// <c>ip[6] saddr|daddr [!=] NETWORK</c>, encoded as nft encodes it: a byte-aligned prefix loads
    /// and compares just its prefix bytes (a host address all of them); any other prefix masks first.
    /// </summary>
    public static NftExpr[] Address(IPNetwork network, bool source, bool negate = false)
    {
        var v4 = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
        var length = v4 ? 4 : 16;
        var offset = v4 ? (source ? 12u : 16u) : (source ? 8u : 24u);
        var op = negate ? NftCmpOp.Neq : NftCmpOp.Eq;
        var address = network.BaseAddress.GetAddressBytes();
        if (network.PrefixLength % 8 == 0 && network.PrefixLength > 0)
        {
            var bytes = network.PrefixLength / 8;
            return [new NftPayloadLoad(NftPayloadBase.Network, offset, (uint)bytes), new NftCmp(op, address[..bytes])];
        }

        return
        [
            new NftPayloadLoad(NftPayloadBase.Network, offset, (uint)length),
            new NftBitwise(Mask(network.PrefixLength, length), new byte[length]),
            new NftCmp(op, address),
        ];
    }

    /// <summary><c>ip[6] saddr|daddr [!=] @SET</c></summary>
    public static NftExpr[] AddressInSet(AddressFamily family, string set, bool source, bool negate = false)
    {
        var v4 = family == AddressFamily.InterNetwork;
        var offset = v4 ? (source ? 12u : 16u) : (source ? 8u : 24u);
        return [new NftPayloadLoad(NftPayloadBase.Network, offset, v4 ? 4u : 16u), new NftLookup(set, negate)];
    }

    /// <summary><c>th dport|sport [!=] PORT</c> (after an l4proto match).</summary>
    public static NftExpr[] Port(int port, bool destination, bool negate = false) =>
    [
        new NftPayloadLoad(NftPayloadBase.Transport, destination ? 2u : 0u, 2),
        new NftCmp(negate ? NftCmpOp.Neq : NftCmpOp.Eq, PortBytes(port)),
    ];

    /// <summary><c>th dport|sport FIRST-LAST</c> (after an l4proto match), as nft encodes it: two comparisons.</summary>
    public static NftExpr[] PortRange(int first, int last, bool destination) =>
    [
        new NftPayloadLoad(NftPayloadBase.Transport, destination ? 2u : 0u, 2),
        new NftCmp(NftCmpOp.Gte, PortBytes(first)),
        new NftCmp(NftCmpOp.Lte, PortBytes(last)),
    ];

    /// <summary><c>th dport|sport [!=] @SET</c></summary>
    public static NftExpr[] PortInSet(string set, bool destination, bool negate = false) =>
    [
        new NftPayloadLoad(NftPayloadBase.Transport, destination ? 2u : 0u, 2),
        new NftLookup(set, negate),
    ];

    /// <summary><c>meta skuid|skgid [!=] ID</c></summary>
    public static NftExpr[] Owner(NftMetaKey key, uint id, bool negate = false) =>
    [
        new NftMetaLoad(key),
        new NftCmp(negate ? NftCmpOp.Neq : NftCmpOp.Eq, BitConverter.GetBytes(id)),
    ];

    /// <summary>
    /// <c>meta oifname|iifname [!=] "NAME"</c>, compared as the kernel's 16-byte name; a name ending
    /// in iptables' wildcard <c>+</c> is nft's <c>"PREFIX*"</c>: only the prefix's bytes are compared.
    /// </summary>
    public static NftExpr[] InterfaceName(NftMetaKey key, string name, bool negate = false)
    {
        ArgumentNullException.ThrowIfNull(name);
        var wildcard = name.Length > 1 && name[^1] == '+';
        var bytes = new byte[wildcard ? name.Length - 1 : 16];
        System.Text.Encoding.ASCII.GetBytes(wildcard ? name[..^1] : name, bytes);
        return [new NftMetaLoad(key), new NftCmp(negate ? NftCmpOp.Neq : NftCmpOp.Eq, bytes)];
    }

    /// <summary><c>meta mark [!=] VALUE</c></summary>
    public static NftExpr[] Mark(uint mark, bool negate = false) =>
        [new NftMetaLoad(NftMetaKey.Mark), new NftCmp(negate ? NftCmpOp.Neq : NftCmpOp.Eq, BitConverter.GetBytes(mark))];

    /// <summary><c>ct state invalid</c></summary>
    public static NftExpr[] CtStateInvalid() => CtState(CtStateInvalidBit);

    /// <summary><c>ct state established,related</c></summary>
    public static NftExpr[] CtStateEstablishedOrRelated() => CtState(CtStateEstablishedBit | CtStateRelatedBit);

    /// <summary>The conntrack state is one of <paramref name="mask"/>'s bits (NF_CT_STATE_* bits, host order).</summary>
    private static NftExpr[] CtState(uint mask) =>
    [
        new NftCtLoad(NftCtKey.State),
        new NftBitwise(BitConverter.GetBytes(mask), new byte[4]),
        new NftCmp(NftCmpOp.Neq, new byte[4]),
    ];

    /// <summary><c>redirect to :PORT</c></summary>
    public static NftExpr[] RedirectTo(int port) => [NftImmediate.Port(port), new NftRedirect()];

    /// <summary><c>tproxy ip|ip6 to :PORT</c></summary>
    public static NftExpr[] TproxyTo(AddressFamily family, int port) =>
        [NftImmediate.Port(port), new NftTproxy(family == AddressFamily.InterNetwork ? NftFamily.Ip : NftFamily.Ip6)];

    /// <summary><c>meta mark set VALUE</c></summary>
    public static NftExpr[] SetMark(uint mark) => [NftImmediate.HostU32(mark), new NftMetaStore(NftMetaKey.Mark)];

    public static byte[] PortBytes(int port)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)port);
        return bytes;
    }

    private static byte[] Mask(int prefix, int length)
    {
        var mask = new byte[length];
        for (var bit = 0; bit < prefix; bit++)
        {
            mask[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }

        return mask;
    }
}
