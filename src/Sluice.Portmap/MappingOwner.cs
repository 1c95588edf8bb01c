namespace Sluice.Portmap;

/// <summary>The attachment a forward belongs to: network, container and interface (the spec's key for all state).</summary>
public sealed record MappingOwner(string Network, string ContainerId, string IfName)
{
    public override string ToString() => $"container {ContainerId} ({IfName}) of network {Network}";
}
