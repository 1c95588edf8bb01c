namespace Sluice.Kube.Models;

/// <summary>Which object an event is about: kind, namespace, name and UID (the UID keeps it from a same-named successor).</summary>
public sealed class ObjectReference
{
    public string? ApiVersion { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? Uid { get; set; }
}
