using System.Collections.Concurrent;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// The pods of this node, kept by list and watch (relisting when the watch ends or its version is
/// too old). A pod not in the cache yet, or cached under another UID, is fetched from the API
/// server over the agent's warm connection and remembered briefly (<see cref="FetchedPods"/>), so
/// a lookup never answers from a stale object; asked for a UID, it answers only for that UID.
/// </summary>
public sealed class PodCache(KubeClient client, string nodeName, AgentLog log, FetchedPods? fetched = null)
{
    private readonly ConcurrentDictionary<string, Pod> _pods = new(StringComparer.Ordinal);
    private readonly FetchedPods _fetched = fetched ?? new FetchedPods();

    /// <summary>True once the first list arrived.</summary>
    public bool Synced { get; private set; }

    public int Count => _pods.Count;

    /// <summary>Told of every list and watch event (the capture reconciler); null: nobody.</summary>
    public IPodEvents? Events { get; init; }

    /// <summary>The watched pods of this node as they are now (a copy).</summary>
    public IReadOnlyList<Pod> Snapshot() => _pods.Values.ToList();

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var list = await client.ListPodsOnNodeAsync(nodeName, stop).ConfigureAwait(false);
                _pods.Clear();
                foreach (var pod in list.Items)
                {
                    _pods[Key(pod)] = pod;
                }

                Synced = true;
                Events?.Listed(list.Items);
                log.Debug($"pod cache: {list.Items.Count} pods on {nodeName} at version {list.ResourceVersion}");
                await foreach (var change in client.WatchPodsOnNodeAsync(nodeName, list.ResourceVersion, stop).ConfigureAwait(false))
                {
                    if (change.IsBookmark)
                    {
                        continue;
                    }

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

                // The server ended the watch (it does so every few minutes): list again, without hammering it.
                await Task.Delay(TimeSpan.FromMilliseconds(200), stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException error)
            {
                log.Warn($"pod cache: {error.Message}; listing again in 1 s");
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ConfigureAwait(false);
            }
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
