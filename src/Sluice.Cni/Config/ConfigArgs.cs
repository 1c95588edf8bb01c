using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>The <c>args</c> key the runtime may inject (CONVENTIONS.md: <c>args.cni.ips</c>, <c>args.cni.mac</c>).</summary>
public sealed class ConfigArgs
{
    [JsonPropertyName("cni")]
    public CniConventionArgs? Cni { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

public sealed class CniConventionArgs
{
    [JsonPropertyName("ips")]
    public List<string>? Ips { get; set; }

    [JsonPropertyName("mac")]
    public string? Mac { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}
