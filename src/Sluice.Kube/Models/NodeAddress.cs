namespace Sluice.Kube.Models;

/// <summary>One node address: its type (InternalIP, ExternalIP, Hostname…) and value.</summary>
public sealed class NodeAddress
{
    public string? Type { get; set; }

    public string? Address { get; set; }
}
