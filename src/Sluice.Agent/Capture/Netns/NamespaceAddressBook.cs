using System.Diagnostics;
using System.Net;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Agent.Capture.Netns;

/// <summary>
/// The addresses inside each candidate namespace, read over rtnetlink inside it and kept a few
/// seconds (a namespace being set up gets its addresses after it appears). Namespace work happens
/// on the calling thread, which must be the reconciler's own thread.
/// </summary>
internal sealed class NamespaceAddressBook
{
    /// <summary>How long addresses read once are used without reading them again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (long ReadAt, HashSet<IPAddress> Addresses)> _byIdentity = new(StringComparer.Ordinal);

    /// <summary>
    /// The namespace's addresses, read again unless they were read at or after <paramref name="notBefore"/>
    /// (a <see cref="Stopwatch.GetTimestamp"/>); empty when it cannot be entered (gone since it was listed).
    /// </summary>
    public IReadOnlySet<IPAddress> Of(string path, string identity, long notBefore)
    {
        if (_byIdentity.TryGetValue(identity, out var known) && known.ReadAt >= notBefore)
        {
            return known.Addresses;
        }

        // Stamped before the read: a read that began before an address was added does not vouch for it.
        var readAt = Stopwatch.GetTimestamp();
        var addresses = Read(path);
        _byIdentity[identity] = (readAt, addresses);
        return addresses;
    }

    /// <summary>Forgets namespaces that are no longer listed.</summary>
    public void Keep(IEnumerable<string> identities)
    {
        var live = identities.ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _byIdentity.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _byIdentity.Remove(gone);
        }
    }

    /// <summary><c>ip netns exec NS ip addr show</c>, as a set.</summary>
    public static HashSet<IPAddress> Read(string path)
    {
        try
        {
            using var ns = NetNs.Open(path, NetNsEntry.CallingThread);
            return ns.Run(() =>
            {
                using var rtnl = Rtnl.Open(ns.Description);
                return rtnl.ListAddresses().Select(a => a.Address).ToHashSet();
            });
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            return [];
        }
    }

    /// <summary>
    /// Whether the namespace at <paramref name="path"/> has a link whose peer is in the calling
    /// thread's namespace: a pod's veth to this node, not to another node sharing the machine's
    /// named namespaces (test clusters, nested nodes). False when it cannot be read.
    /// </summary>
    public static bool ConnectsToCurrent(string path)
    {
        try
        {
            using var here = NetNs.Current();
            using var ns = NetNs.Open(path, NetNsEntry.CallingThread);
            return ns.Run(() =>
            {
                using var rtnl = Rtnl.Open(ns.Description);
                // Listed first: listing a link whose peer is elsewhere is what gives that namespace an id here.
                var links = rtnl.ListLinks();
                return rtnl.IdOf(here) is { } id && links.Any(link => link.PeerNetnsId == id);
            });
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            return false;
        }
    }
}
