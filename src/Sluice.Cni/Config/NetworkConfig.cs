using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>
/// The part of a plugin configuration the spec defines. A plugin derives its own configuration
/// from this class (so one parse gives it both); keys nobody declares are kept in
/// <see cref="Extra"/>. Keys match case-insensitively, as they do in Go's decoder.
/// </summary>
public class NetworkConfig
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("capabilities")]
    public Dictionary<string, bool>? Capabilities { get; set; }

    [JsonPropertyName("ipMasq")]
    public bool? IpMasq { get; set; }

    /// <summary>The IPAM section, kept raw: the IPAM plugin (or a delegate) owns its schema.</summary>
    [JsonPropertyName("ipam")]
    public JsonElement? Ipam { get; set; }

    [JsonPropertyName("dns")]
    public CniDns? Dns { get; set; }

    [JsonPropertyName("runtimeConfig")]
    public RuntimeConfig? RuntimeConfig { get; set; }

    [JsonPropertyName("args")]
    public ConfigArgs? Args { get; set; }

    /// <summary>The previous plugin's result, raw; the dispatcher parses and validates it.</summary>
    [JsonPropertyName("prevResult")]
    public JsonElement? PrevResult { get; set; }

    /// <summary>GC input (CNI 1.1): the attachments that are still in use.</summary>
    [JsonPropertyName("cni.dev/valid-attachments")]
    public List<Attachment>? ValidAttachments { get; set; }

    /// <summary>The key GC input had before CNI 1.1 was final; accepted as well.</summary>
    [JsonPropertyName("cni.dev/attachments")]
    public List<Attachment>? LegacyAttachments { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    /// <summary>The <c>ipam.type</c> value, or null when there is no IPAM section or no type in it.</summary>
    [JsonIgnore]
    public string? IpamType =>
        Ipam is { ValueKind: JsonValueKind.Object } ipam &&
        ipam.TryGetProperty("type", out var type) &&
        type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    /// <summary>The GC valid-attachment set under whichever key the runtime used.</summary>
    [JsonIgnore]
    public IReadOnlyList<Attachment> GcValidAttachments => ValidAttachments ?? LegacyAttachments ?? [];
}
