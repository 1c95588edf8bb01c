using System.Net;
using Sluice.Cni;
using Sluice.Cni.Config;
using Sluice.Cni.Results;
using Sluice.Ipam.Allocation;
using Sluice.Ipam.Config;
using Sluice.Ipam.Store;
using Sluice.Net;

namespace Sluice.Ipam;

/// <summary>
/// The IPAM operations (ADD, DEL, CHECK, GC, STATUS) over a store, used by the sluice-ipam
/// executable and in-process by sluice-bridge. Each operation runs under the store's lock.
/// In the normal case an ADD touches a constant number of files: the attachment index answers
/// "does this attachment already hold addresses", and the search for a free address starts after
/// the last one handed out.
/// </summary>
public sealed class AddressManager(Func<IpamSettings, IAllocationStore> openStore)
{
    public static AddressManager OnDisk { get; } = new(settings => new FileStore(settings.NetworkDirectory));

    public CniResult Add(IpamSettings settings, AttachmentKey key, IReadOnlyList<IPAddress> requested)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var wanted = AssignRequested(settings, requested);
        // Read before the store is touched: a resolv.conf that cannot be read fails the ADD with
        // nothing reserved and no store directory made.
        var dns = settings.ResolvConf is { } path ? ResolvConf.Read(path) : null;
        var store = openStore(settings);
        using (store.Lock())
        {
            EnsureIndexed(store);
            RejectDuplicate(store, settings, key);
            var chosen = settings.RangeSets.Select(set => Choose(store, set, wanted[set.Index], [])).ToList();
            store.WriteIndex(key, chosen.Select(c => c.Address).ToList());
            ReserveAll(store, settings, key, chosen, wanted);
            for (var i = 0; i < chosen.Count; i++)
            {
                store.SetLastReserved(settings.RangeSets[i].Index, chosen[i].Address);
            }
            return BuildResult(settings, chosen, dns);
        }
    }

    /// <summary>Releases the attachment's addresses; nothing to release is success (DEL is idempotent).</summary>
    public IReadOnlyList<IPAddress> Del(IpamSettings settings, AttachmentKey key)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = openStore(settings);
        if (!store.Exists)
        {
            return [];
        }

        using (store.Lock())
        {
            EnsureIndexed(store);
            var addresses = store.ReadIndex(key);
            if (addresses is null)
            {
                return [];
            }

            var released = new List<IPAddress>();
            foreach (var address in addresses)
            {
                if (store.OwnerOf(address) is { } owner && owner.Is(key))
                {
                    store.Release(address);
                    released.Add(address);
                }
            }

            store.DeleteIndex(key);
            return released;
        }
    }

    /// <summary>The addresses the attachment holds now (empty when none), without changing anything.</summary>
    public IReadOnlyList<IPAddress> AddressesOf(IpamSettings settings, AttachmentKey key)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = openStore(settings);
        if (!store.Exists)
        {
            return [];
        }

        using (store.Lock())
        {
            EnsureIndexed(store);
            return (store.ReadIndex(key) ?? []).Where(a => store.OwnerOf(a) is { } owner && owner.Is(key)).ToList();
        }
    }

    /// <summary>Fails unless the attachment holds an address in every range set, and every address of <paramref name="previous"/> in our ranges.</summary>
    public void Check(IpamSettings settings, AttachmentKey key, CniResult? previous)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var held = AddressesOf(settings, key);
        foreach (var set in settings.RangeSets)
        {
            if (!held.Any(set.Contains))
            {
                throw new CniException(
                    CniErrorCode.UnknownContainer,
                    $"no address in range set {set.Index} ({set}) of network {settings.NetworkName} is allocated to container {key.ContainerId} interface {key.IfName}");
            }
        }

        foreach (var ip in previous?.Ips ?? [])
        {
            var address = ip.ParsedAddress.Address;
            if (settings.RangeSets.Any(set => set.Contains(address)) && !held.Contains(address))
            {
                throw new CniException(
                    CniErrorCode.UnknownContainer,
                    $"address {address} in prevResult is not allocated to container {key.ContainerId} interface {key.IfName} in network {settings.NetworkName}");
            }
        }
    }

    public GcReport Gc(IpamSettings settings, IReadOnlyCollection<AttachmentKey> valid) =>
        new GarbageCollector(openStore(settings)).Run(valid, EnsureIndexed);

    /// <summary>Error 50 when the store cannot be used or a range set has no free address left.</summary>
    public void Status(IpamSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var store = openStore(settings);
        List<(IPAddress Address, StoredOwner? Owner)> allocations;
        try
        {
            using (store.Lock())
            {
                store.ProbeWritable();
                allocations = [.. store.Allocations()];
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Linux.LinuxException)
        {
            throw new CniException(CniErrorCode.PluginNotAvailable, $"the address store {settings.NetworkDirectory} is not usable: {error.Message}");
        }

        foreach (var set in settings.RangeSets)
        {
            var used = (UInt128)allocations.Count(a => set.RangeFor(a.Address) is { } range && !a.Address.Equals(range.Gateway));
            if (used >= set.Capacity)
            {
                throw new CniException(
                    CniErrorCode.PluginNotAvailable,
                    $"range set {set.Index} ({set}) of network {settings.NetworkName} is exhausted: all {set.Capacity} addresses are allocated");
            }
        }
    }

    /// <summary>Indexes a store written by host-local (or an older sluice-ipam) once, so later lookups need no scan.</summary>
    private static void EnsureIndexed(IAllocationStore store)
    {
        if (store.IsIndexed)
        {
            return;
        }

        var byOwner = store.Allocations()
            .Where(a => a.Owner is { IfName: not null })
            .GroupBy(a => new AttachmentKey(a.Owner!.Value.ContainerId, a.Owner.Value.IfName!));
        foreach (var group in byOwner)
        {
            store.WriteIndex(group.Key, group.Select(a => a.Address).ToList());
        }

        store.MarkIndexed();
    }

    private static void RejectDuplicate(IAllocationStore store, IpamSettings settings, AttachmentKey key)
    {
        if (store.ReadIndex(key) is not { } indexed)
        {
            return;
        }

        var held = indexed.Where(a => store.OwnerOf(a) is { } owner && owner.Is(key)).ToList();
        if (held.Count > 0)
        {
            throw new CniException(
                IpamErrorCode.DuplicateAllocation,
                $"container {key.ContainerId} interface {key.IfName} already holds {string.Join(", ", held)} in network {settings.NetworkName}; " +
                "a second ADD without DEL is not allowed");
        }

        // An index entry without addresses is the trace of an ADD that was killed before it reserved them.
        store.DeleteIndex(key);
    }

    private static IPAddress?[] AssignRequested(IpamSettings settings, IReadOnlyList<IPAddress> requested)
    {
        var wanted = new IPAddress?[settings.RangeSets.Count];
        foreach (var address in requested)
        {
            var set = settings.RangeSets.FirstOrDefault(s => s.Contains(address))
                ?? throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"requested address {address} is in none of the ranges of network {settings.NetworkName}");
            if (wanted[set.Index] is { } other)
            {
                throw new CniException(
                    CniErrorCode.InvalidNetworkConfig,
                    $"requested addresses {other} and {address} are in the same range set; one address per range set can be allocated");
            }

            if (address.Equals(set.RangeFor(address)!.Gateway))
            {
                throw new CniException(CniErrorCode.InvalidNetworkConfig, $"requested address {address} is the gateway of its range");
            }

            wanted[set.Index] = address;
        }

        return wanted;
    }

    private static (IPAddress Address, AddressRange Range) Choose(IAllocationStore store, RangeSet set, IPAddress? requested, List<IPAddress> exclude)
    {
        if (requested is not null)
        {
            return (requested, set.RangeFor(requested)!);
        }

        foreach (var candidate in set.Candidates(store.LastReserved(set.Index)))
        {
            if (!exclude.Contains(candidate.Address) && !store.IsReserved(candidate.Address))
            {
                return candidate;
            }
        }

        throw new CniException(
            CniErrorCode.TryAgainLater,
            $"no free address in range set {set.Index} ({set}): all {set.Capacity} addresses are allocated");
    }

    private static void ReserveAll(IAllocationStore store, IpamSettings settings, AttachmentKey key, List<(IPAddress Address, AddressRange Range)> chosen, IPAddress?[] wanted)
    {
        var reserved = new List<IPAddress>();
        try
        {
            for (var i = 0; i < chosen.Count; i++)
            {
                var tried = new List<IPAddress>();
                while (!store.TryReserve(chosen[i].Address, key))
                {
                    // Taken between the check and the reservation: only a writer ignoring the lock can do that.
                    if (wanted[i] is not null)
                    {
                        var owner = store.OwnerOf(chosen[i].Address);
                        throw new CniException(
                            IpamErrorCode.AddressInUse,
                            $"requested address {chosen[i].Address} is already allocated to container {owner?.ContainerId ?? "(unknown)"}");
                    }

                    tried.Add(chosen[i].Address);
                    chosen[i] = Choose(store, settings.RangeSets[i], null, tried);
                    store.WriteIndex(key, chosen.Select(c => c.Address).ToList());
                }

                reserved.Add(chosen[i].Address);
            }
        }
        catch
        {
            foreach (var address in reserved)
            {
                store.Release(address);
            }

            store.DeleteIndex(key);
            throw;
        }
    }

    private static CniResult BuildResult(IpamSettings settings, List<(IPAddress Address, AddressRange Range)> chosen, CniDns? dns) => new()
    {
        Ips = chosen.Select(c => new CniIpConfig
        {
            Address = new InterfaceAddress(c.Address, c.Range.Subnet.PrefixLength).ToString(),
            Gateway = c.Range.Gateway.ToString(),
        }).ToList(),
        Routes = settings.Routes.Count > 0 ? settings.Routes.Select(r => r.Clone()).ToList() : null,
        Dns = dns,
    };
}
