namespace Sluice.Firewall;

/// <summary>
/// One Sluice component's node rules, by the names that mark them: its native nftables table
/// (family inet) and its iptables chains (table, chain). Every component that writes node rules
/// is listed in <see cref="All"/>, so the backend already holding any of them is found by all.
/// The names are declared here once; the components use these constants.
/// </summary>
public sealed record FirewallComponent(string Name, string NftTable, IReadOnlyList<(string Table, string Chain)> IptablesChains)
{
    public const string BridgeTable = "sluice_bridge";
    public const string BridgePostrouting = "SLUICE-POSTROUTING";
    public const string BridgeForward = "SLUICE-FORWARD";

    public const string PortmapTable = "sluice_portmap";
    public const string PortmapHostPorts = "SLUICE-HOSTPORTS";
    public const string PortmapMasquerade = "SLUICE-HOSTPORTS-MASQ";

    public static FirewallComponent Bridge { get; } = new("sluice-bridge", BridgeTable, [("nat", BridgePostrouting), ("filter", BridgeForward)]);

    public static FirewallComponent Portmap { get; } = new("sluice-portmap", PortmapTable, [("nat", PortmapHostPorts), ("nat", PortmapMasquerade)]);

    public static IReadOnlyList<FirewallComponent> All { get; } = [Bridge, Portmap];
}
