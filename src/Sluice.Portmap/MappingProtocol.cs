namespace Sluice.Portmap;

/// <summary>The layer-4 protocols a port mapping may name, with their IP protocol numbers.</summary>
public enum MappingProtocol : byte
{
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}

internal static class MappingProtocols
{
    public static string Name(MappingProtocol protocol) => protocol switch
    {
        MappingProtocol.Tcp => "tcp",
        MappingProtocol.Udp => "udp",
        _ => "sctp",
    };

    /// <summary>tcp, udp or sctp in any case; missing or empty is tcp (Kubernetes' default).</summary>
    public static MappingProtocol? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "TCP" => MappingProtocol.Tcp,
        "UDP" => MappingProtocol.Udp,
        "SCTP" => MappingProtocol.Sctp,
        _ => null,
    };
}
