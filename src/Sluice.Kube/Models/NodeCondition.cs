namespace Sluice.Kube.Models;

/// <summary>One node condition: its type (Ready…) and status ("True", "False", "Unknown").</summary>
public sealed class NodeCondition
{
    public string? Type { get; set; }

    public string? Status { get; set; }
}
