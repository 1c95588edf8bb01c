namespace Sluice.Ipam.Store;

/// <summary>Who an address belongs to: the spec keys every allocation by container ID and interface name.</summary>
public readonly record struct AttachmentKey(string ContainerId, string IfName)
{
    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => ContainerId + "/" + IfName;
}

/// <summary>
/// The owner recorded in an address file. Files written by very old host-local versions hold
/// only the container ID, so <see cref="IfName"/> may be unknown.
/// </summary>
public readonly record struct StoredOwner(string ContainerId, string? IfName)
{
    public bool Is(AttachmentKey key) => ContainerId == key.ContainerId && (IfName is null || IfName == key.IfName);
}
