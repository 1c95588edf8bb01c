using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Json;

namespace Sluice.Portmap;

/// <summary>
/// sluice-portmap's configuration: the reference portmap plugin's keys, every one declared once in
/// <see cref="Shape"/>. The mappings come in <c>runtimeConfig.portMappings</c> (the spec's keys).
/// </summary>
public sealed class PortmapConfig : PluginConfig, IHostPortOptions
{
    public static JsonShape<PortmapConfig> Shape { get; } = new JsonShape<PortmapConfig>(() => new PortmapConfig())
        .Include(PluginConfig.Keys)
        .Text("backend", c => c.Backend, (c, v) => c.Backend = v)
        .Include(HostPortOptions.Keys)
        .Int32("markMasqBit", c => c.MarkMasqBit, (c, v) => c.MarkMasqBit = v)
        .Field("externalSetMarkChain", JsonCodecs.Raw, c => c.ExternalSetMarkChain, (c, v) => c.ExternalSetMarkChain = v)
        .Field("conditionsV4", JsonCodecs.Raw, c => c.ConditionsV4, (c, v) => c.ConditionsV4 = v)
        .Field("conditionsV6", JsonCodecs.Raw, c => c.ConditionsV6, (c, v) => c.ConditionsV6 = v);

    /// <summary><c>auto</c> (default: the node's firewall), <c>nftables</c> or <c>iptables</c>.</summary>
    public string? Backend { get; set; }

    /// <inheritdoc/>
    public bool? Snat { get; set; }

    /// <inheritdoc/>
    public bool? MasqAll { get; set; }

    /// <summary>The reference plugin's mark bit: accepted (0–31) and unused, since no mark is set.</summary>
    public int? MarkMasqBit { get; set; }

    /// <summary>The reference plugin's iptables chain of someone else's: not supported.</summary>
    public JsonElement? ExternalSetMarkChain { get; set; }

    /// <summary>The reference plugin's extra rule text: not supported (rule text from configuration is not taken).</summary>
    public JsonElement? ConditionsV4 { get; set; }

    /// <summary>As <see cref="ConditionsV4"/>, for IPv6.</summary>
    public JsonElement? ConditionsV6 { get; set; }
}
