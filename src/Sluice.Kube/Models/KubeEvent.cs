namespace Sluice.Kube.Models;

/// <summary>
/// A core/v1 Event, as <c>kubectl describe pod</c> lists it under Events: what happened to an
/// object (<see cref="InvolvedObject"/>), why in one word (<see cref="Reason"/>), the details,
/// Normal or Warning, and who reported it.
/// </summary>
public sealed class KubeEvent
{
    public string ApiVersion { get; set; } = "v1";

    public string Kind { get; set; } = "Event";

    public ObjectMeta Metadata { get; set; } = new();

    public ObjectReference InvolvedObject { get; set; } = new();

    /// <summary>One CamelCase word a person can filter on (<c>kubectl get events --field-selector reason=…</c>).</summary>
    public string? Reason { get; set; }

    public string? Message { get; set; }

    /// <summary><c>Normal</c> or <c>Warning</c>.</summary>
    public string? Type { get; set; }

    public EventSource? Source { get; set; }

    /// <summary>RFC 3339 time in UTC.</summary>
    public string? FirstTimestamp { get; set; }

    public string? LastTimestamp { get; set; }

    public int Count { get; set; } = 1;

    public string? ReportingComponent { get; set; }

    public string? ReportingInstance { get; set; }
}
