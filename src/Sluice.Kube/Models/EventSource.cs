namespace Sluice.Kube.Models;

/// <summary>The component that reported an event, and on which node.</summary>
public sealed class EventSource
{
    public string? Component { get; set; }

    public string? Host { get; set; }
}
