namespace Sluice.Linux.Netlink;

/// <summary>Netlink wire constants from linux/netlink.h, with their kernel spelling.</summary>
internal static class NetlinkConstants
{
    public const int NETLINK_ROUTE = 0;
    public const int NETLINK_NETFILTER = 12;

    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;
    public const int NETLINK_GET_STRICT_CHK = 12;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    public const ushort NLM_F_REQUEST = 0x1;
    public const ushort NLM_F_MULTI = 0x2;
    public const ushort NLM_F_ACK = 0x4;
    public const ushort NLM_F_ECHO = 0x8;
    public const ushort NLM_F_DUMP_INTR = 0x10;

    public const ushort NLM_F_ROOT = 0x100;
    public const ushort NLM_F_MATCH = 0x200;
    public const ushort NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

    public const ushort NLM_F_REPLACE = 0x100;
    public const ushort NLM_F_EXCL = 0x200;
    public const ushort NLM_F_CREATE = 0x400;
    public const ushort NLM_F_APPEND = 0x800;

    public const ushort NLM_F_NONREC = 0x100;

    public const ushort NLM_F_CAPPED = 0x100;
    public const ushort NLM_F_ACK_TLVS = 0x200;

    public const ushort NLMSGERR_ATTR_MSG = 1;
    public const ushort NLMSGERR_ATTR_OFFS = 2;

    public const ushort NLA_F_NESTED = 0x8000;
    public const ushort NLA_F_NET_BYTEORDER = 0x4000;
    public const ushort NLA_TYPE_MASK = 0x3fff;

    public const int NLMSG_HDRLEN = 16;
    public const int NLA_HDRLEN = 4;

    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>
    /// A message payload's attributes: what follows its family header (ifinfomsg, rtmsg, nfgenmsg…)
    /// padded to 4 bytes. Sized as the bytes the header struct occupies (<c>Unsafe.SizeOf</c>, as
    /// <c>MemoryMarshal</c> reads and writes it), not by marshalling data looked up at run time.
    /// </summary>
    public static ReadOnlySpan<byte> AfterHeader<THeader>(ReadOnlySpan<byte> payload)
        where THeader : unmanaged => payload[Align(System.Runtime.CompilerServices.Unsafe.SizeOf<THeader>())..];
}
