using Sluice.Cni;

namespace Sluice.Portmap;

/// <summary>
/// A node port belongs to one pod at a time: an ADD whose forward would take connections another
/// attachment's forward already takes (same protocol, port and family, overlapping node addresses)
/// fails, naming the port and its owner, instead of silently stealing the traffic as the reference
/// plugin's last-writer-wins rules do.
/// </summary>
internal static class HostPortConflicts
{
    public static void ThrowIfAny(IReadOnlyList<PortForward> existing, ForwardPlan plan)
    {
        foreach (var wanted in plan.Forwards)
        {
            if (existing.FirstOrDefault(e => e.Owner != plan.Owner && e.Overlaps(wanted)) is { } taken)
            {
                throw new CniException(
                    PortmapErrorCode.HostPortInUse,
                    $"hostPort {MappingProtocols.Name(wanted.Protocol)} {wanted.HostPort}{(wanted.HostIp is null ? "" : $" on {wanted.HostIp}")} " +
                    $"({(wanted.Family == System.Net.Sockets.AddressFamily.InterNetwork ? "IPv4" : "IPv6")}) is already mapped to {taken.Owner} ({taken.Describe()})");
            }
        }
    }
}
