using Sluice.Cni.Config;
using Sluice.Json;

namespace Sluice.IpamPlugin;

/// <summary>The network configuration as sluice-ipam reads it: the spec's keys and the logging keys (its own are in the <c>ipam</c> section).</summary>
public sealed class IpamPluginConfig : PluginConfig
{
    public static JsonShape<IpamPluginConfig> Shape { get; } = new JsonShape<IpamPluginConfig>(() => new IpamPluginConfig())
        .Include(PluginConfig.Keys);
}
