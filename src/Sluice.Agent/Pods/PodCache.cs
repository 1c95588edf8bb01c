using System.Collections.Concurrent;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// The pods of this node, kept by list and watch (<see cref="ListWatch{T}"/>: one list, then
/// watches resumed from the last version seen). A pod not in the cache yet, or cached under another UID, is fetched from the API
/// server over the agent's warm connection and remembered briefly (<see cref="FetchedPods"/>), so
/// a lookup never answers from a stale object; asked for a UID, it answers only for that UID.
/// </summary>
public sealed class PodCache(KubeClient client, string nodeName, AgentLog log, FetchedPods? fetched = null)
{
    private readonly ConcurrentDictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly FetchedPods _fetched = fetched ?? new FetchedPods();
    private ListWatch<Pod>? _listWatch;

    /// <summary>True once the first list arrived.</summary>
    public bool Synced { get; private set; }

    public int Count => _pods.Count;

    /// <summary>Told of every list and watch event (the capture reconciler); null: nobody.</summary>
    public IPodEvents? Events { get; init; }

    /// <summary>The watched pods of this node as they are now (a copy).</summary>
    public IReadOnlyList<Pod> Snapshot() => _pods.Values.ToList();

    /// <summary>Lists and watches made so far (a steady agent: one list, one watch at a time).</summary>
    public (int Lists, int Watches) Requests => (_listWatch?.Lists ?? 0, _listWatch?.Watches ?? 0);

    public Task RunAsync(CancellationToken stop)
    {
        _listWatch = new ListWatch<Pod>(
            cancel => client.ListPodsOnNodeAsync(nodeName, cancel),
            (version, cancel) => client.WatchPodsOnNodeAsync(nodeName, version, cancel),
            pod => pod.Metadata.ResourceVersion)
        {
            What = "pod cache",
            Listed = Replace,
            Changed = Apply,
            Warn = log.Warn,
            Debug = log.Debug,
        };
        return _listWatch.RunAsync(stop);
    }

    private void Replace(KubeList<Pod> list)
    {
        _pods.Clear();
        foreach (var pod in list.Items)
        {
            _pods[Key(pod)] = pod;
        }

        Synced = true;
        Events?.Listed(list.Items);
    }

    private void Apply(WatchEvent<Pod> change)
    {
        _fetched.Remove(Key(change.Object));
        if (change.Type == WatchEventTypes.Deleted)
        {
            _pods.TryRemove(Key(change.Object), out _);
            Events?.Removed(change.Object);
        }
        else
        {
            _pods[Key(change.Object)] = change.Object;
            Events?.Changed(change.Object);
        }
    }

    /// <summary>
    /// The pod, from the watched pods or the recently fetched ones when it matches
    /// <paramref name="uid"/> (if given), else from the API server. When the API server's pod has
    /// another UID than the one asked for, the answer says so instead of giving that pod.
    /// </summary>
    /// <exception cref="KubeApiException">The API server could not be asked.</exception>
    public async Task<PodAnswer> GetAsync(string ns, string name, string? uid, CancellationToken cancellationToken)
    {
        var key = $"{ns}/{name}";
        if (_pods.TryGetValue(key, out var watched) && Matches(watched, uid))
        {
            return new PodAnswer(watched, null);
        }

        if (_fetched.TryGet(key, out var recent) && Matches(recent, uid))
        {
            return new PodAnswer(recent, null);
        }

        Pod pod;
        try
        {
            pod = await client.GetPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException error) when (error.IsNotFound)
        {
            return PodAnswer.NotFound;
        }

        _fetched.Add(key, pod);
        return Matches(pod, uid) ? new PodAnswer(pod, null) : new PodAnswer(null, pod.Metadata.Uid ?? "");
    }

    private static bool Matches(Pod pod, string? uid) => uid is null || pod.Metadata.Uid == uid;

    private static string Key(Pod pod) => $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";
}
