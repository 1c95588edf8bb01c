using System.Text.Json;

namespace Sluice.Kube.Models;

/// <summary>A watch line before its object is typed: an ERROR event carries a Status, not the watched kind.</summary>
internal sealed class RawWatchEvent
{
    public string? Type { get; set; }

    public JsonElement Object { get; set; }
}
