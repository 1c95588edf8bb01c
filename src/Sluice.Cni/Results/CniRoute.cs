using System.Text.Json.Serialization;

namespace Sluice.Cni.Results;

public sealed class CniRoute
{
    [JsonPropertyName("dst")]
    public string Dst { get; set; } = "";

    [JsonPropertyName("gw")]
    public string? Gw { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("mtu")]
    public int? Mtu { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("advmss")]
    public int? AdvMss { get; set; }

    /// <summary>Since 1.1.0 (the route metric).</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("table")]
    public int? Table { get; set; }

    /// <summary>Since 1.1.0.</summary>
    [JsonPropertyName("scope")]
    public int? Scope { get; set; }

    public CniRoute Clone() => (CniRoute)MemberwiseClone();
}
