namespace Sluice.Linux.Conntrack;

/// <summary>ctnetlink wire constants (linux/netfilter/nfnetlink_conntrack.h), kernel spelling.</summary>
internal static class CtConstants
{
    public const ushort NFNL_SUBSYS_CTNETLINK = 1;

    public const ushort IPCTNL_MSG_CT_NEW = 0;
    public const ushort IPCTNL_MSG_CT_GET = 1;
    public const ushort IPCTNL_MSG_CT_DELETE = 2;

    public const ushort CTA_TUPLE_ORIG = 1;
    public const ushort CTA_TUPLE_REPLY = 2;
    public const ushort CTA_ZONE = 18;
    public const ushort CTA_FILTER = 25;

    public const ushort CTA_TUPLE_IP = 1;
    public const ushort CTA_TUPLE_PROTO = 2;

    public const ushort CTA_IP_V4_SRC = 1;
    public const ushort CTA_IP_V4_DST = 2;
    public const ushort CTA_IP_V6_SRC = 3;
    public const ushort CTA_IP_V6_DST = 4;

    public const ushort CTA_PROTO_NUM = 1;
    public const ushort CTA_PROTO_SRC_PORT = 2;
    public const ushort CTA_PROTO_DST_PORT = 3;

    public const ushort CTA_FILTER_ORIG_FLAGS = 1;
    public const ushort CTA_FILTER_REPLY_FLAGS = 2;

    // CTA_FILTER_FLAG(CTA_PROTO_NUM) and CTA_FILTER_FLAG(CTA_PROTO_DST_PORT).
    public const uint CTA_FILTER_FLAG_PROTO_NUM = 1 << 3;
    public const uint CTA_FILTER_FLAG_PROTO_DST_PORT = 1 << 5;
}
