using System.Collections.Concurrent;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// The pods of this node, kept by list and watch (relisting when the watch ends or its version is
/// too old). A pod not in the cache yet, or cached under another UID, is fetched from the API
/// server over the agent's warm connection, so a lookup never answers from a stale object.
/// </summary>
public sealed class PodCache(KubeClient client, string nodeName, AgentLog log)
{
    private readonly ConcurrentDictionary<string, Pod> _pods = new(StringComparer.Ordinal);

    /// <summary>True once the first list arrived.</summary>
    public bool Synced { get; private set; }

    public int Count => _pods.Count;

    /// <summary>Told of every list and watch event (the capture reconciler); null: nobody.</summary>
    public IPodEvents? Events { get; init; }

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

    /// <summary>The pod, from the cache when it matches <paramref name="uid"/> (if given), else from the API server; null when it does not exist.</summary>
    /// <exception cref="KubeApiException">The API server could not be asked.</exception>
    public async Task<Pod?> GetAsync(string ns, string name, string? uid, CancellationToken cancellationToken)
    {
        if (_pods.TryGetValue($"{ns}/{name}", out var cached) && (uid is null || cached.Metadata.Uid == uid))
        {
            return cached;
        }

        try
        {
            var pod = await client.GetPodAsync(ns, name, cancellationToken).ConfigureAwait(false);
            _pods[$"{ns}/{name}"] = pod;
            return pod;
        }
        catch (KubeApiException error) when (error.IsNotFound)
        {
            return null;
        }
    }

    private static string Key(Pod pod) => $"{pod.Metadata.Namespace}/{pod.Metadata.Name}";
}
