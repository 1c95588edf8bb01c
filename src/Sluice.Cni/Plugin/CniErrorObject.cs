using System.Text.Json.Serialization;

namespace Sluice.Cni.Plugin;

/// <summary>The error object a plugin prints on stdout when it fails.</summary>
public sealed class CniErrorObject
{
    [JsonPropertyName("cniVersion")]
    public string CniVersion { get; set; } = CniVersions.Latest;

    [JsonPropertyName("code")]
    public int Code { get; set; }

    [JsonPropertyName("msg")]
    public string Msg { get; set; } = "";

    [JsonPropertyName("details")]
    public string? Details { get; set; }
}
