namespace Sluice.Portmap;

/// <summary>The attachment a forward belongs to: network, container and interface (the spec's key for all state).</summary>
public sealed record MappingOwner(string Network, string ContainerId, string IfName)
{
    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => string.Concat("container ", ContainerId, " (", IfName, ") of network ", Network);
}
