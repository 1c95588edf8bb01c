using System.Net;

namespace Sluice.Ipam.Store;

/// <summary>
/// Where one network's allocations live. Every call except <see cref="Lock"/> is made while the
/// lock is held. Besides one record per address the store keeps an index from attachment to
/// addresses, so finding an attachment's addresses never needs a scan.
/// </summary>
public interface IAllocationStore
{
    /// <summary>False when nothing was ever stored (a DEL then has nothing to do and creates nothing).</summary>
    bool Exists { get; }

    /// <summary>Takes the store's exclusive lock; disposing releases it.</summary>
    IDisposable Lock();

    bool IsReserved(IPAddress address);

    /// <summary>Records <paramref name="owner"/> for <paramref name="address"/> unless the address is taken; false when it is.</summary>
    bool TryReserve(IPAddress address, AttachmentKey owner);

    /// <summary>The recorded owner; null when the address is free or its record unreadable.</summary>
    StoredOwner? OwnerOf(IPAddress address);

    void Release(IPAddress address);

    IPAddress? LastReserved(int rangeSet);

    void SetLastReserved(int rangeSet, IPAddress address);

    /// <summary>True once the attachment index covers every allocation (after the first scan of a store written by host-local).</summary>
    bool IsIndexed { get; }

    void MarkIndexed();

    IReadOnlyList<IPAddress>? ReadIndex(AttachmentKey key);

    void WriteIndex(AttachmentKey key, IReadOnlyList<IPAddress> addresses);

    void DeleteIndex(AttachmentKey key);

    IReadOnlyList<AttachmentKey> IndexedAttachments();

    /// <summary>Every address record (a full scan: for GC, STATUS and the first indexing only).</summary>
    IReadOnlyList<(IPAddress Address, StoredOwner? Owner)> Allocations();

    /// <summary>Removes debris a killed writer may have left (temporary files); safe under the lock.</summary>
    int RemoveDebris();

    /// <summary>Fails when records cannot be created (read-only or full file system).</summary>
    void ProbeWritable();
}
