using System.Net.NetworkInformation;

namespace Sluice.Linux.Rtnetlink;

/// <summary>A network interface as the kernel reports it (<c>ip -d link show</c>).</summary>
public sealed record Link(
    int Index,
    string Name,
    string? Kind,
    int Mtu,
    PhysicalAddress? Mac,
    LinkFlags Flags,
    OperState OperState,
    int MasterIndex,
    int ParentIndex,
    int Promiscuity,
    int? PeerNetnsId,
    string? Alias)
{
    public bool IsUp => Flags.HasFlag(LinkFlags.Up);

    /// <summary>A VXLAN device's tunnel; null for every other kind.</summary>
    public VxlanSettings? Vxlan { get; init; }

    /// <summary>
    /// The link's <c>net.ipv6.conf.NAME.accept_ra</c> (whether it takes IPv6 router
    /// advertisements, and so routes and addresses from whoever sends them on it); null when the
    /// link has no IPv6 (booted with <c>ipv6.disable=1</c>, or the link's MTU is below 1280; a link
    /// with <c>disable_ipv6</c> set still has a value).
    /// </summary>
    public int? Ipv6AcceptRa { get; init; }

    /// <summary>The transmit and receive queues the link was allocated with (<c>numtxqueues</c>, <c>numrxqueues</c>).</summary>
    public int TxQueues { get; init; }

    /// <inheritdoc cref="TxQueues"/>
    public int RxQueues { get; init; }

    /// <summary>The MAC in the usual colon form, e.g. <c>0a:58:0a:16:00:05</c>.</summary>
    public string MacText => Mac is null ? "" : string.Join(':', Mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}

[Flags]
public enum LinkFlags : uint
{
    None = 0,
    Up = 0x1,
    Broadcast = 0x2,
    Loopback = 0x8,
    PointToPoint = 0x10,
    Running = 0x40,
    NoArp = 0x80,
    Promisc = 0x100,
    Multicast = 0x1000,
    LowerUp = 0x10000,
}

/// <summary>RFC 2863 operational state (IF_OPER_*).</summary>
public enum OperState : byte
{
    Unknown = 0,
    NotPresent = 1,
    Down = 2,
    LowerLayerDown = 3,
    Testing = 4,
    Dormant = 5,
    Up = 6,
}
