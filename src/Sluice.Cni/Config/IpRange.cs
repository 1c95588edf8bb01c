using System.Text.Json.Serialization;

namespace Sluice.Cni.Config;

/// <summary>One address range, as in host-local's <c>ranges</c> and the <c>ipRanges</c> capability.</summary>
public sealed class IpRange
{
    [JsonPropertyName("subnet")]
    public string? Subnet { get; set; }

    [JsonPropertyName("rangeStart")]
    public string? RangeStart { get; set; }

    [JsonPropertyName("rangeEnd")]
    public string? RangeEnd { get; set; }

    [JsonPropertyName("gateway")]
    public string? Gateway { get; set; }
}
