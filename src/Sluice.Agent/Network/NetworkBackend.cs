namespace Sluice.Agent.Network;

/// <summary>How pods' packets reach other nodes (flannel's backends of the same names).</summary>
public enum NetworkBackend
{
    /// <summary>A route per node: its pod CIDR via its InternalIP. Every node must be on one link.</summary>
    HostGw,

    /// <summary>A VXLAN device per family: pods' packets travel in UDP between InternalIPs, across any routed underlay.</summary>
    Vxlan,
}

/// <summary>The names of <see cref="NetworkBackend"/> as the settings and the chart spell them.</summary>
public static class NetworkBackends
{
    /// <exception cref="Sluice.CommandLine.InvalidValueException">Neither name (case does not matter).</exception>
    public static NetworkBackend Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "host-gw" => NetworkBackend.HostGw,
        "vxlan" => NetworkBackend.Vxlan,
        _ => throw new Sluice.CommandLine.InvalidValueException("is not a backend (host-gw or vxlan)"),
    };

    public static string Name(this NetworkBackend backend) => backend == NetworkBackend.Vxlan ? "vxlan" : "host-gw";
}
