namespace Sluice.Linux.Nftables;

/// <summary>nf_tables / nfnetlink wire constants (linux/netfilter/nf_tables.h, nfnetlink.h), kernel spelling.</summary>
internal static class NftConstants
{
    public const ushort NFNL_SUBSYS_NFTABLES = 10;
    public const ushort NFNL_MSG_BATCH_BEGIN = 16;
    public const ushort NFNL_MSG_BATCH_END = 17;

    public const ushort NFT_MSG_NEWTABLE = 0;
    public const ushort NFT_MSG_GETTABLE = 1;
    public const ushort NFT_MSG_DELTABLE = 2;
    public const ushort NFT_MSG_NEWCHAIN = 3;
    public const ushort NFT_MSG_GETCHAIN = 4;
    public const ushort NFT_MSG_DELCHAIN = 5;
    public const ushort NFT_MSG_NEWRULE = 6;
    public const ushort NFT_MSG_GETRULE = 7;
    public const ushort NFT_MSG_DELRULE = 8;
    public const ushort NFT_MSG_NEWSET = 9;
    public const ushort NFT_MSG_GETSET = 10;
    public const ushort NFT_MSG_DELSET = 11;
    public const ushort NFT_MSG_NEWSETELEM = 12;
    public const ushort NFT_MSG_GETSETELEM = 13;
    public const ushort NFT_MSG_DELSETELEM = 14;
    public const ushort NFT_MSG_NEWGEN = 15;
    public const ushort NFT_MSG_GETGEN = 16;
    public const ushort NFTA_GEN_ID = 1;

    public const ushort NFTA_LIST_ELEM = 1;

    public const ushort NFTA_HOOK_HOOKNUM = 1;
    public const ushort NFTA_HOOK_PRIORITY = 2;

    public const ushort NFTA_TABLE_NAME = 1;
    public const ushort NFTA_TABLE_FLAGS = 2;
    public const ushort NFTA_TABLE_USERDATA = 6;

    public const ushort NFTA_CHAIN_TABLE = 1;
    public const ushort NFTA_CHAIN_HANDLE = 2;
    public const ushort NFTA_CHAIN_NAME = 3;
    public const ushort NFTA_CHAIN_HOOK = 4;
    public const ushort NFTA_CHAIN_POLICY = 5;
    public const ushort NFTA_CHAIN_TYPE = 7;

    public const ushort NFTA_RULE_TABLE = 1;
    public const ushort NFTA_RULE_CHAIN = 2;
    public const ushort NFTA_RULE_HANDLE = 3;
    public const ushort NFTA_RULE_EXPRESSIONS = 4;
    public const ushort NFTA_RULE_USERDATA = 7;

    public const ushort NFTA_SET_TABLE = 1;
    public const ushort NFTA_SET_NAME = 2;
    public const ushort NFTA_SET_FLAGS = 3;
    public const ushort NFTA_SET_KEY_TYPE = 4;
    public const ushort NFTA_SET_KEY_LEN = 5;
    public const ushort NFTA_SET_ID = 10;

    public const ushort NFTA_SET_ELEM_KEY = 1;
    public const ushort NFTA_SET_ELEM_FLAGS = 3;
    public const ushort NFTA_SET_ELEM_USERDATA = 6;

    public const ushort NFTA_SET_ELEM_LIST_TABLE = 1;
    public const ushort NFTA_SET_ELEM_LIST_SET = 2;
    public const ushort NFTA_SET_ELEM_LIST_ELEMENTS = 3;

    public const ushort NFTA_DATA_VALUE = 1;
    public const ushort NFTA_DATA_VERDICT = 2;
    public const ushort NFTA_VERDICT_CODE = 1;
    public const ushort NFTA_VERDICT_CHAIN = 2;

    public const ushort NFTA_EXPR_NAME = 1;
    public const ushort NFTA_EXPR_DATA = 2;

    public const ushort NFTA_IMMEDIATE_DREG = 1;
    public const ushort NFTA_IMMEDIATE_DATA = 2;

    public const ushort NFTA_BITWISE_SREG = 1;
    public const ushort NFTA_BITWISE_DREG = 2;
    public const ushort NFTA_BITWISE_LEN = 3;
    public const ushort NFTA_BITWISE_MASK = 4;
    public const ushort NFTA_BITWISE_XOR = 5;

    public const ushort NFTA_CMP_SREG = 1;
    public const ushort NFTA_CMP_OP = 2;
    public const ushort NFTA_CMP_DATA = 3;

    public const ushort NFTA_LOOKUP_SET = 1;
    public const ushort NFTA_LOOKUP_SREG = 2;
    public const ushort NFTA_LOOKUP_FLAGS = 5;
    public const uint NFT_LOOKUP_F_INV = 1;

    public const ushort NFTA_PAYLOAD_DREG = 1;
    public const ushort NFTA_PAYLOAD_BASE = 2;
    public const ushort NFTA_PAYLOAD_OFFSET = 3;
    public const ushort NFTA_PAYLOAD_LEN = 4;

    public const ushort NFTA_META_DREG = 1;
    public const ushort NFTA_META_KEY = 2;
    public const ushort NFTA_META_SREG = 3;

    public const ushort NFTA_CT_DREG = 1;
    public const ushort NFTA_CT_KEY = 2;
    public const ushort NFTA_CT_DIRECTION = 3;

    public const ushort NFTA_FIB_DREG = 1;
    public const ushort NFTA_FIB_RESULT = 2;
    public const ushort NFTA_FIB_FLAGS = 3;
    public const uint NFT_FIB_RESULT_ADDRTYPE = 3;
    public const uint NFTA_FIB_F_DADDR = 1 << 1;

    public const ushort NFTA_NAT_TYPE = 1;
    public const ushort NFTA_NAT_FAMILY = 2;
    public const ushort NFTA_NAT_REG_ADDR_MIN = 3;
    public const ushort NFTA_NAT_REG_ADDR_MAX = 4;
    public const ushort NFTA_NAT_REG_PROTO_MIN = 5;
    public const ushort NFTA_NAT_REG_PROTO_MAX = 6;
    public const ushort NFTA_NAT_FLAGS = 7;
    public const uint NFT_NAT_DNAT = 1;
    public const uint NF_NAT_RANGE_MAP_IPS = 1 << 0;

    public const ushort NFTA_MASQ_FLAGS = 1;

    public const ushort NFTA_REDIR_REG_PROTO_MIN = 1;
    public const ushort NFTA_REDIR_REG_PROTO_MAX = 2;
    public const ushort NFTA_REDIR_FLAGS = 3;

    public const ushort NFTA_TPROXY_FAMILY = 1;
    public const ushort NFTA_TPROXY_REG_ADDR = 2;
    public const ushort NFTA_TPROXY_REG_PORT = 3;

    public const uint NF_NAT_RANGE_PROTO_SPECIFIED = 1 << 1;

    public const int NFT_JUMP = -3;
    public const int NFT_GOTO = -4;
    public const int NFT_RETURN = -5;
    public const int NF_DROP = 0;
    public const int NF_ACCEPT = 1;

    public const uint NFT_SET_INTERVAL = 0x4;
    public const uint NFT_SET_ELEM_INTERVAL_END = 0x1;

    /// <summary>nftables' userdata TLV type for comments (tables, chains, rules, set elements alike).</summary>
    public const byte NFTNL_UDATA_COMMENT = 0;
}
