using System.Net;
using Sluice.Ipam.Store;

namespace Sluice.Ipam.Tests;

/// <summary>An in-memory store for allocator tests; counts the operations that would touch the disk.</summary>
internal sealed class MemoryStore : IAllocationStore
{
    private readonly Lock _lock = new();

    public Dictionary<IPAddress, StoredOwner?> Records { get; } = [];

    public Dictionary<int, IPAddress> Last { get; } = [];

    public Dictionary<AttachmentKey, List<IPAddress>> Index { get; } = [];

    public int Probes { get; set; }

    public Func<IPAddress, bool>? FailReserve { get; set; }

    public bool Exists => true;

    public bool IsIndexed { get; set; } = true;

    public IDisposable Lock()
    {
        _lock.Enter();
        return new Releaser(_lock);
    }

    public bool IsReserved(IPAddress address)
    {
        Probes++;
        return Records.ContainsKey(address);
    }

    public bool TryReserve(IPAddress address, AttachmentKey owner)
    {
        if (FailReserve?.Invoke(address) == true)
        {
            throw new IOException($"disk full reserving {address}");
        }

        return Records.TryAdd(address, new StoredOwner(owner.ContainerId, owner.IfName));
    }

    public StoredOwner? OwnerOf(IPAddress address) => Records.GetValueOrDefault(address);

    public void Release(IPAddress address) => Records.Remove(address);

    public IPAddress? LastReserved(int rangeSet) => Last.GetValueOrDefault(rangeSet);

    public void SetLastReserved(int rangeSet, IPAddress address) => Last[rangeSet] = address;

    public void MarkIndexed() => IsIndexed = true;

    public IReadOnlyList<IPAddress>? ReadIndex(AttachmentKey key) => Index.GetValueOrDefault(key);

    public void WriteIndex(AttachmentKey key, IReadOnlyList<IPAddress> addresses) => Index[key] = [.. addresses];

    public void DeleteIndex(AttachmentKey key) => Index.Remove(key);

    public IReadOnlyList<AttachmentKey> IndexedAttachments() => [.. Index.Keys];

    public IReadOnlyList<(IPAddress Address, StoredOwner? Owner)> Allocations() => Records.Select(r => (r.Key, r.Value)).ToList();

    public int RemoveDebris() => 0;

    public void ProbeWritable()
    {
    }

    private sealed class Releaser(Lock held) : IDisposable
    {
        public void Dispose() => held.Exit();
    }
}
