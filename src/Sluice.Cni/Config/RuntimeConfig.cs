using System.Text.Json;
using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>
/// <c>runtimeConfig</c>: the well-known capabilities the runtime supplies. Keys are matched
/// case-insensitively because Go runtimes may send <c>PortMappings</c>, <c>HostPort</c>, …
/// </summary>
public sealed class RuntimeConfig
{
    public static JsonShape<RuntimeConfig> Shape { get; } = new JsonShape<RuntimeConfig>(() => new RuntimeConfig())
        .List("portMappings", PortMapping.Shape, c => c.PortMappings, (c, v) => c.PortMappings = v)
        .Field("ipRanges", JsonCodecs.ListOf(JsonCodecs.NonNull(JsonCodecs.ListOf(JsonCodecs.NonNull(IpRange.Shape)))), c => c.IpRanges, (c, v) => c.IpRanges = v)
        .Field("bandwidth", JsonCodecs.Raw, c => c.Bandwidth, (c, v) => c.Bandwidth = v)
        .Object("dns", CniDns.Shape, c => c.Dns, (c, v) => c.Dns = v)
        .TextList("ips", c => c.Ips, (c, v) => c.Ips = v)
        .Text("mac", c => c.Mac, (c, v) => c.Mac = v)
        .Text("infinibandGUID", c => c.InfinibandGuid, (c, v) => c.InfinibandGuid = v)
        .Text("deviceID", c => c.DeviceId, (c, v) => c.DeviceId = v)
        .TextList("aliases", c => c.Aliases, (c, v) => c.Aliases = v)
        .Text("cgroupPath", c => c.CgroupPath, (c, v) => c.CgroupPath = v);

    public List<PortMapping>? PortMappings { get; set; }

    /// <summary>Range sets, each a list of ranges (the host-local <c>ranges</c> shape).</summary>
    public List<List<IpRange>>? IpRanges { get; set; }

    public JsonElement? Bandwidth { get; set; }

    public CniDns? Dns { get; set; }

    public List<string>? Ips { get; set; }

    public string? Mac { get; set; }

    public string? InfinibandGuid { get; set; }

    public string? DeviceId { get; set; }

    public List<string>? Aliases { get; set; }

    public string? CgroupPath { get; set; }
}
