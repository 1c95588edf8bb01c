using System.Text.Json.Serialization;

namespace Sluice.Kube.Models;

/// <summary>
/// The object the API server sends with a failure (kind "Status"): its message is what a
/// person needs to read ("pods \"web-1\" is forbidden: User … cannot get …").
/// </summary>
public sealed class Status
{
    public string? Kind { get; set; }

    /// <summary>"Success" or "Failure" (the JSON field "status").</summary>
    [JsonPropertyName("status")]
    public string? Outcome { get; set; }

    public string? Message { get; set; }

    public string? Reason { get; set; }

    public int? Code { get; set; }
}
