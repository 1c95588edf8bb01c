using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>DNS settings, in network configuration, runtimeConfig and results alike.</summary>
public sealed class CniDns
{
    public static JsonShape<CniDns> Shape { get; } = new JsonShape<CniDns>(() => new CniDns())
        .TextList("nameservers", d => d.Nameservers, (d, v) => d.Nameservers = v)
        .Text("domain", d => d.Domain, (d, v) => d.Domain = v)
        .TextList("search", d => d.Search, (d, v) => d.Search = v)
        .TextList("options", d => d.Options, (d, v) => d.Options = v);

    public List<string>? Nameservers { get; set; }

    public string? Domain { get; set; }

    public List<string>? Search { get; set; }

    public List<string>? Options { get; set; }

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
