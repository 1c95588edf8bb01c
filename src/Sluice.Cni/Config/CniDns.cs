using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>DNS settings, in network configuration, runtimeConfig and results alike.</summary>
public sealed class CniDns
{
    [JsonPropertyName("nameservers")]
    public List<string>? Nameservers { get; set; }

    [JsonPropertyName("domain")]
    public string? Domain { get; set; }

    [JsonPropertyName("search")]
    public List<string>? Search { get; set; }

    [JsonPropertyName("options")]
    public List<string>? Options { get; set; }

    [JsonIgnore]
    public bool IsEmpty =>
        (Nameservers?.Count ?? 0) == 0 && string.IsNullOrEmpty(Domain) &&
        (Search?.Count ?? 0) == 0 && (Options?.Count ?? 0) == 0;

    public CniDns Clone() => new()
    {
        Nameservers = Nameservers?.ToList(),
        Domain = Domain,
        Search = Search?.ToList(),
        Options = Options?.ToList(),
    };
}
