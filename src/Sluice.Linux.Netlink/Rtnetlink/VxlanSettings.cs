using System.Net;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// A VXLAN device's tunnel (<c>ip -d link show</c>): its VNI, the UDP port it sends to and listens
/// on, the underlay address it sends from and the link that address is on, and whether it learns
/// remote MACs from the packets it receives.
/// </summary>
public sealed record VxlanSettings(uint Vni, int Port, IPAddress? Local, int UnderlayIndex, bool Learning)
{
    /// <summary>The largest VNI: 24 bits.</summary>
    public const uint MaximumVni = 0xFFFFFF;

    public override string ToString() =>
        $"VNI {Vni} port {Port}{(Local is null ? "" : $" local {Local}")}{(UnderlayIndex == 0 ? "" : $" dev #{UnderlayIndex}")}{(Learning ? "" : " nolearning")}";
}
