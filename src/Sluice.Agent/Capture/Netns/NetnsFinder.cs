using System.Diagnostics;
using System.Net;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture.Netns;

/// <summary>
/// Where a pod's network namespace is: first the plugin's sandbox records of the pod (newest
/// first), then, for a pod the plugin never saw, the one candidate namespace that holds all of
/// the pod's addresses (<c>status.podIPs</c>), or of several the one whose veth leads to this
/// node's namespace. Otherwise two namespaces holding them is ambiguous and answers nothing: the
/// reconciler never acts on a namespace it is not sure of. A record naming a
/// process's namespace is offered only when the pod has addresses to confirm it with (process
/// numbers are reused). The inspector confirms the addresses again inside the namespace.
/// </summary>
public sealed class NetnsFinder
{
    /// <summary>A listing and addresses this recent are taken again only for a pod seen after they were taken.</summary>
    private static readonly TimeSpan RecentRead = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a listing of the candidate namespaces serves searches that find their pod.</summary>
    private static readonly TimeSpan ListingFreshness = TimeSpan.FromSeconds(1);

    private readonly SandboxIndex _records;
    private readonly NamespaceCandidates _candidates;
    private readonly NamespaceAddressBook _addresses = new();
    private readonly AgentLog _log;
    private readonly HashSet<string> _ambiguous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NetnsCandidate> _searched = new(StringComparer.Ordinal);
    private IReadOnlyList<(string Path, string Identity)> _listed = [];
    private long _listedAt = long.MinValue;

    /// <param name="forbidden">Identities never offered: the host's namespace and the agent's.</param>
    public NetnsFinder(string? recordsDirectory, IReadOnlyList<string> netnsDirs, string? procDir, IReadOnlySet<string> forbidden, AgentLog log)
    {
        _records = new SandboxIndex(recordsDirectory, log);
        _candidates = new NamespaceCandidates(netnsDirs, procDir, forbidden);
        _log = log;
    }

    /// <summary>Where sluice-redirect records the sandboxes (null: none are read).</summary>
    public string? RecordsDirectory => _records.Directory;

    /// <summary>The pod's addresses from its status (empty until kubelet reports them).</summary>
    public static IReadOnlyList<IPAddress> Addresses(Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var texts = pod.Status.PodIPs.Select(p => p.Ip).Append(pod.Status.PodIP).OfType<string>();
        return texts.Select(t => IPAddress.TryParse(t, out var address) ? address : null).OfType<IPAddress>().Distinct().ToList();
    }

    /// <summary>Candidates for the pod's namespace, best first; empty when none is known. <paramref name="search"/>: look by address when no record names one.</summary>
    public IReadOnlyList<NetnsCandidate> Find(Pod pod, bool search) => Find(pod, Addresses(pod), search);

    /// <summary>
    /// As <see cref="Find(Pod, bool)"/>, with the pod's <see cref="Addresses(Pod)"/> the caller already
    /// has. <paramref name="addressesSeenAt"/>: when the caller first saw the pod with these addresses
    /// (a <see cref="Stopwatch.GetTimestamp"/>, taken after the event that brought them arrived). A
    /// namespace's addresses read before then may predate the pod's: the runtime reports them once
    /// its ADD has put them in place, so a search that finds nothing reads those again. Without it
    /// (null), a search that finds nothing lists and reads everything again.
    /// </summary>
    public IReadOnlyList<NetnsCandidate> Find(Pod pod, IReadOnlyList<IPAddress> addresses, bool search, long? addressesSeenAt = null)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(addresses);
        var found = _records.For(pod.Metadata.Namespace!, pod.Metadata.Name!, pod.Metadata.Uid!)
            .Where(r => addresses.Count > 0 || !_candidates.IsProcessPath(r.NetNs))
            .Select(r => new NetnsCandidate(r.NetNs, $"sandbox record {r.ContainerId}", FromRecord: true))
            .ToList();
        var uid = pod.Metadata.Uid!;
        if (found.Count == 0 && addresses.Count > 0 && search)
        {
            // Found by a search before: offered again first (the inspector confirms the addresses), searched again when it no longer holds them.
            if (_searched.TryGetValue(uid, out var earlier) && File.Exists(earlier.Path))
            {
                found.Add(earlier);
            }
            else if (Search(pod, addresses, addressesSeenAt) is { } searched)
            {
                _searched[uid] = searched;
                found.Add(searched);
            }
        }

        return found;
    }

    /// <summary>A search result that turned out wrong (the namespace no longer holds the pod's addresses), or a pod that is gone.</summary>
    public void Forget(string uid) => _searched.Remove(uid);

    /// <summary>Once per pass: records re-read if they changed, records of vanished namespaces removed.</summary>
    public void Tidy()
    {
        try
        {
            _records.Prune();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _log.Warn($"tidying the sandbox records in {_records.Directory}: {error.Message}");
        }
    }

    private NetnsCandidate? Search(Pod pod, IReadOnlyList<IPAddress> addresses, long? addressesSeenAt)
    {
        // A listing and the addresses read within the last moments serve every search of a pass.
        // A miss lists again and reads again the addresses read before the pod's were seen, or more
        // than 200 ms ago: the pod's namespace may be new, or read while its ADD was still running.
        // Both at most once per 200 ms however many pods are searched for, so a round of many pods
        // whose namespaces are not found lists and reads once, not once per pod.
        var now = Stopwatch.GetTimestamp();
        var matches = Matches(addresses, listedNotBefore: now - Ticks(ListingFreshness), readNotBefore: now - Ticks(NamespaceAddressBook.Freshness));
        if (matches.Count == 0)
        {
            var recent = addressesSeenAt is { } seen ? Math.Max(seen, now - Ticks(RecentRead)) : now;
            matches = Matches(addresses, listedNotBefore: recent, readNotBefore: recent);
        }

        if (matches.Count > 1)
        {
            // Namespaces of other nodes can share this machine's named namespaces (test clusters,
            // nested nodes) and their pods' addresses: one whose veth leads here is this node's.
            var here = matches.Where(m => NamespaceAddressBook.ConnectsToCurrent(m.Path)).ToList();
            matches = here.Count == 1 ? here : matches;
        }

        var key = $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";
        if (matches.Count > 1)
        {
            if (_ambiguous.Add(key))
            {
                _log.Warn($"pod {key}: {matches.Count} network namespaces hold {string.Join(", ", addresses)} ({string.Join(", ", matches.Select(m => m.Path))}); none is touched");
            }

            return null;
        }

        _ambiguous.Remove(key);
        return matches.Count == 1 ? new NetnsCandidate(matches[0].Path, _candidates.IsProcessPath(matches[0].Path) ? "process namespace" : "named netns") : null;
    }

    /// <summary>The candidates that hold all of <paramref name="addresses"/>; the listing and each one's addresses are taken again unless taken at or after the given times.</summary>
    private List<(string Path, string Identity)> Matches(IReadOnlyList<IPAddress> addresses, long listedNotBefore, long readNotBefore)
    {
        if (_listedAt < listedNotBefore)
        {
            // Stamped before listing, as the address book stamps its reads.
            _listedAt = Stopwatch.GetTimestamp();
            _listed = _candidates.List();
            _addresses.Keep(_listed.Select(c => c.Identity));
        }

        return _listed.Where(c => addresses.All(_addresses.Of(c.Path, c.Identity, readNotBefore).Contains)).ToList();
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
