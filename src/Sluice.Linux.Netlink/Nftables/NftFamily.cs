namespace Sluice.Linux.Nftables;

/// <summary>NFPROTO_* table families.</summary>
public enum NftFamily : byte
{
    Unspec = 0,
    Inet = 1,
    Ip = 2,
    Arp = 3,
    Netdev = 5,
    Bridge = 7,
    Ip6 = 10,
}

/// <summary>NF_INET_* hooks.</summary>
public enum NftHook : uint
{
    Prerouting = 0,
    Input = 1,
    Forward = 2,
    Output = 3,
    Postrouting = 4,
}

/// <summary>A base chain: its type ("filter", "nat", "route"), hook, priority and policy.</summary>
public sealed record NftBaseChain(string Type, NftHook Hook, int Priority, bool PolicyAccept = true)
{
    public const int PriorityRaw = -300;
    public const int PriorityMangle = -150;
    public const int PriorityDstNat = -100;
    public const int PriorityFilter = 0;
    public const int PrioritySrcNat = 100;
}

/// <summary>The nftables key types Sluice's sets use, with the ids the nft tool prints them by.</summary>
public enum NftSetKey
{
    Ipv4Address,
    Ipv6Address,
    InetService,
}
