using System.Text.Json.Serialization;

namespace Sluice.Cni.Plugin;

/// <summary>The VERSION command's answer.</summary>
public sealed class VersionInfo
{
    [JsonPropertyName("cniVersion")]
    public string CniVersion { get; set; } = CniVersions.Latest;

    [JsonPropertyName("supportedVersions")]
    public List<string> SupportedVersions { get; set; } = [];
}

/// <summary>Just the <c>cniVersion</c> of an input, read leniently before the full decode.</summary>
public sealed class VersionProbe
{
    [JsonPropertyName("cniVersion")]
    public string? CniVersion { get; set; }
}
