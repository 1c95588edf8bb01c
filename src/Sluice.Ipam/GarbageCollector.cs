using System.Net;
using Sluice.Ipam.Store;

namespace Sluice.Ipam;

/// <summary>
/// GC of one network's store: releases every address whose owner is not a valid attachment
/// (allocations host-local left behind included), drops stale index entries and debris of
/// killed writers, and rebuilds the index of the attachments that remain. Keeps going past
/// errors and reports them all.
/// </summary>
internal sealed class GarbageCollector(IAllocationStore store)
{
    public GcReport Run(IReadOnlyCollection<AttachmentKey> valid, Action<IAllocationStore> ensureIndexed)
    {
        if (!store.Exists)
        {
            return new GcReport([], []);
        }

        var released = new List<(IPAddress, StoredOwner?)>();
        var errors = new List<string>();
        using (store.Lock())
        {
            Try(errors, "removing temporary files", () => store.RemoveDebris());
            Try(errors, "indexing the store", () => ensureIndexed(store));
            var kept = new Dictionary<AttachmentKey, List<IPAddress>>();
            foreach (var (address, owner) in store.Allocations())
            {
                if (ValidOwner(owner, valid) is { } key)
                {
                    (kept.TryGetValue(key, out var list) ? list : kept[key] = []).Add(address);
                    continue;
                }

                if (Try(errors, $"releasing {address}", () => store.Release(address)))
                {
                    released.Add((address, owner));
                }
            }

            foreach (var key in store.IndexedAttachments())
            {
                if (!kept.ContainsKey(key))
                {
                    Try(errors, $"removing the index entry of {key}", () => store.DeleteIndex(key));
                }
            }

            foreach (var (key, addresses) in kept)
            {
                Try(errors, $"indexing {key}", () =>
                {
                    if (!(store.ReadIndex(key) ?? []).ToHashSet().SetEquals(addresses))
                    {
                        store.WriteIndex(key, addresses);
                    }
                });
            }
        }

        return new GcReport(released, errors);
    }

    private static AttachmentKey? ValidOwner(StoredOwner? owner, IReadOnlyCollection<AttachmentKey> valid)
    {
        if (owner is not { } stored)
        {
            return null;
        }

        foreach (var key in valid)
        {
            if (stored.Is(key))
            {
                return key;
            }
        }

        return null;
    }

    private static bool Try(List<string> errors, string what, Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            errors.Add($"{what}: {error.Message}");
            return false;
        }
    }
}
