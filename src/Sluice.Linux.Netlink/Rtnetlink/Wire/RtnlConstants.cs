namespace Sluice.Linux.Rtnetlink.Wire;

/// <summary>rtnetlink constants from linux/rtnetlink.h, if_link.h, if_addr.h, neighbour.h and fib_rules.h.</summary>
internal static class RtnlConstants
{
    public const ushort RTM_NEWLINK = 16;
    public const ushort RTM_DELLINK = 17;
    public const ushort RTM_GETLINK = 18;
    public const ushort RTM_SETLINK = 19;
    public const ushort RTM_NEWADDR = 20;
    public const ushort RTM_DELADDR = 21;
    public const ushort RTM_GETADDR = 22;
    public const ushort RTM_NEWROUTE = 24;
    public const ushort RTM_DELROUTE = 25;
    public const ushort RTM_GETROUTE = 26;
    public const ushort RTM_NEWNEIGH = 28;
    public const ushort RTM_DELNEIGH = 29;
    public const ushort RTM_GETNEIGH = 30;
    public const ushort RTM_NEWRULE = 32;
    public const ushort RTM_DELRULE = 33;
    public const ushort RTM_GETRULE = 34;
    public const ushort RTM_NEWNETCONF = 80;
    public const ushort RTM_NEWNSID = 88;
    public const ushort RTM_GETNSID = 90;
    public const ushort RTM_GETNETCONF = 82;

    public const ushort IFLA_ADDRESS = 1;
    public const ushort IFLA_BROADCAST = 2;
    public const ushort IFLA_IFNAME = 3;
    public const ushort IFLA_MTU = 4;
    public const ushort IFLA_LINK = 5;
    public const ushort IFLA_MASTER = 10;
    public const ushort IFLA_PROTINFO = 12;
    public const ushort IFLA_OPERSTATE = 16;
    public const ushort IFLA_IFALIAS = 20;
    public const ushort IFLA_AF_SPEC = 26;
    public const ushort IFLA_LINKINFO = 18;
    public const ushort IFLA_NET_NS_PID = 19;
    public const ushort IFLA_NET_NS_FD = 28;
    public const ushort IFLA_EXT_MASK = 29;
    public const ushort IFLA_PROMISCUITY = 30;
    public const ushort IFLA_NUM_TX_QUEUES = 31;
    public const ushort IFLA_NUM_RX_QUEUES = 32;
    public const ushort IFLA_LINK_NETNSID = 37;

    public const ushort IFLA_INFO_KIND = 1;
    public const ushort IFLA_INFO_DATA = 2;
    public const ushort IFLA_INFO_SLAVE_KIND = 4;
    public const ushort IFLA_INFO_SLAVE_DATA = 5;

    public const ushort VETH_INFO_PEER = 1;

    /// <summary>Inside IFLA_AF_SPEC's AF_INET nest: the IPv4 device configuration, one attribute per IPV4_DEVCONF_* value.</summary>
    public const ushort IFLA_INET_CONF = 1;

    /// <summary>Inside IFLA_AF_SPEC's AF_INET6 nest: the IPv6 device configuration, an array of s32 indexed by DEVCONF_*.</summary>
    public const ushort IFLA_INET6_CONF = 2;

    /// <summary>Index of <c>accept_ra</c> in IFLA_INET6_CONF (DEVCONF_ACCEPT_RA, include/uapi/linux/ipv6.h).</summary>
    public const int DEVCONF_ACCEPT_RA = 3;

    public const ushort NETNSA_NSID = 1;
    public const ushort NETNSA_FD = 3;

    public const ushort NETCONFA_IFINDEX = 1;
    public const ushort NETCONFA_FORWARDING = 2;

    /// <summary>NETCONFA_IFINDEX of the namespace-wide settings (<c>conf/all</c>).</summary>
    public const int NETCONFA_IFINDEX_ALL = -1;

    public const ushort IFLA_BRPORT_MODE = 4;

    public const uint IFF_UP = 0x1;
    public const uint IFF_PROMISC = 0x100;

    public const ushort IFA_ADDRESS = 1;
    public const ushort IFA_LOCAL = 2;
    public const ushort IFA_LABEL = 3;
    public const ushort IFA_BROADCAST = 4;
    public const ushort IFA_CACHEINFO = 6;
    public const ushort IFA_FLAGS = 8;

    public const ushort RTA_DST = 1;
    public const ushort RTA_SRC = 2;
    public const ushort RTA_OIF = 4;
    public const ushort RTA_GATEWAY = 5;
    public const ushort RTA_PRIORITY = 6;
    public const ushort RTA_PREFSRC = 7;
    public const ushort RTA_METRICS = 8;
    public const ushort RTA_TABLE = 15;

    public const ushort RTAX_MTU = 2;
    public const ushort RTAX_ADVMSS = 8;

    public const byte RT_TABLE_UNSPEC = 0;
    public const byte RT_TABLE_MAIN = 254;

    public const ushort NDA_DST = 1;
    public const ushort NDA_LLADDR = 2;

    /// <summary>NUD_PERMANENT: a neighbour entry the kernel never ages out or probes.</summary>
    public const ushort NUD_PERMANENT = 0x80;

    /// <summary>NTF_SELF: a forwarding entry of the device itself (a VXLAN device's remote), not of a bridge it is a port of.</summary>
    public const byte NTF_SELF = 0x02;

    /// <summary>RTNH_F_ONLINK: the gateway is on the output link even though no prefix of that link holds it.</summary>
    public const uint RTNH_F_ONLINK = 4;

    // IFLA_VXLAN_* (linux/if_link.h), inside IFLA_INFO_DATA of a "vxlan" link.
    public const ushort IFLA_VXLAN_ID = 1;
    public const ushort IFLA_VXLAN_LINK = 3;
    public const ushort IFLA_VXLAN_LOCAL = 4;
    public const ushort IFLA_VXLAN_LEARNING = 7;
    public const ushort IFLA_VXLAN_PORT = 15;
    public const ushort IFLA_VXLAN_LOCAL6 = 17;

    public const ushort FRA_PRIORITY = 6;
    public const ushort FRA_FWMARK = 10;
    public const ushort FRA_TABLE = 15;
    public const ushort FRA_FWMASK = 16;

    public const byte FR_ACT_TO_TBL = 1;

    public const uint RTEXT_FILTER_VF = 1;
}
