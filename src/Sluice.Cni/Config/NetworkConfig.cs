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

    private JsonElement? _prevResult;
    private ReadOnlyMemory<byte>? _prevResultJson;

    /// <summary>The previous plugin's result, raw; the dispatcher parses and validates it (from <see cref="PrevResultJson"/>).</summary>
    [JsonPropertyName("prevResult")]
    public JsonElement? PrevResult
    {
        get => _prevResult ??= _prevResultJson is { } json ? ParseElement(json.Span) : null;
        set
        {
            _prevResult = value;
            _prevResultJson = null;
        }
    }

    /// <summary>
    /// The previous plugin's result as UTF-8 JSON; null when absent or JSON null. The hand-written
    /// reader sets this instead of <see cref="PrevResult"/>, which is then built only if asked for.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte>? PrevResultJson
    {
        get => _prevResultJson ?? (_prevResult is { ValueKind: not JsonValueKind.Null } element
            ? new ReadOnlyMemory<byte>(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray())
            : (ReadOnlyMemory<byte>?)null);
        set
        {
            _prevResultJson = value;
            _prevResult = null;
        }
    }

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

    private static JsonElement ParseElement(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        return JsonElement.ParseValue(ref reader);
    }

    /// <summary>The GC valid-attachment set under whichever key the runtime used.</summary>
    [JsonIgnore]
    public IReadOnlyList<Attachment> GcValidAttachments => ValidAttachments ?? LegacyAttachments ?? [];
}
