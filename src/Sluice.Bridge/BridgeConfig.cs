using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Json;
using Sluice.Portmap;

namespace Sluice.Bridge;

/// <summary>sluice-bridge's configuration: the reference bridge plugin's options plus Sluice's own, every key declared once in <see cref="Shape"/>.</summary>
public sealed class BridgeConfig : PluginConfig
{
    public static JsonShape<BridgeConfig> Shape { get; } = new JsonShape<BridgeConfig>(() => new BridgeConfig())
        .Include(PluginConfig.Keys)
        .Text("bridge", c => c.Bridge, (c, v) => c.Bridge = v)
        .Boolean("isGateway", c => c.IsGateway, (c, v) => c.IsGateway = v)
        .Boolean("isDefaultGateway", c => c.IsDefaultGateway, (c, v) => c.IsDefaultGateway = v)
        .Boolean("forceAddress", c => c.ForceAddress, (c, v) => c.ForceAddress = v)
        .Text("ipMasqBackend", c => c.IpMasqBackend, (c, v) => c.IpMasqBackend = v)
        .Int32("mtu", c => c.Mtu, (c, v) => c.Mtu = v)
        .Boolean("hairpinMode", c => c.HairpinMode, (c, v) => c.HairpinMode = v)
        .Boolean("promiscMode", c => c.PromiscMode, (c, v) => c.PromiscMode = v)
        .Boolean("enabledad", c => c.EnableDad, (c, v) => c.EnableDad = v)
        .TextList("clusterCidrs", c => c.ClusterCidrs, (c, v) => c.ClusterCidrs = v)
        .Field("vlan", JsonCodecs.Raw, c => c.Vlan, (c, v) => c.Vlan = v)
        .Field("macspoofchk", JsonCodecs.Raw, c => c.MacSpoofCheck, (c, v) => c.MacSpoofCheck = v)
        .Object("hostPorts", HostPortOptions.Shape, c => c.HostPorts, (c, v) => c.HostPorts = v);

    public string? Bridge { get; set; }

    public bool? IsGateway { get; set; }

    public bool? IsDefaultGateway { get; set; }

    public bool? ForceAddress { get; set; }

    public string? IpMasqBackend { get; set; }

    public int? Mtu { get; set; }

    public bool? HairpinMode { get; set; }

    public bool? PromiscMode { get; set; }

    public bool? EnableDad { get; set; }

    /// <summary>The cluster's pod network(s): not masqueraded, accepted in FORWARD. Default: the pod's own subnets.</summary>
    public List<string>? ClusterCidrs { get; set; }

    /// <summary>The reference plugin's VLAN tag: not supported (any value but 0 is refused).</summary>
    public JsonElement? Vlan { get; set; }

    /// <summary>The reference plugin's MAC spoofing check: not supported (any value but false is refused).</summary>
    public JsonElement? MacSpoofCheck { get; set; }

    /// <summary>The hostPort switches (sluice-portmap's <c>snat</c>, <c>masqAll</c>) when the bridge maps its pods' ports itself (<c>capabilities.portMappings</c>).</summary>
    public HostPortOptions? HostPorts { get; set; }
}
