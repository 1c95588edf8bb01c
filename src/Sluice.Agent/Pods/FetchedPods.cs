using Sluice.Kube.Models;

namespace Sluice.Agent.Pods;

/// <summary>
/// Pods the cache fetched from the API server on a miss (not in this node's watch yet, or on
/// another node): kept for a short time so an ADD's CHECK or a retry does not ask again, and
/// never longer, since no watch event will ever remove them. Bounded: past
/// <paramref name="capacity"/> the oldest goes first.
/// </summary>
public sealed class FetchedPods(TimeSpan ttl, int capacity, TimeProvider time)
{
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(30);

    public const int DefaultCapacity = 256;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, Pod Pod, DateTimeOffset Fetched)>> _byKey = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, Pod Pod, DateTimeOffset Fetched)> _byAge = new();

    public FetchedPods()
        : this(DefaultTtl, DefaultCapacity, TimeProvider.System)
    {
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _byKey.Count;
            }
        }
    }

    /// <summary>The pod fetched under <paramref name="key"/> less than the time to live ago.</summary>
    public bool TryGet(string key, out Pod pod)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node) && time.GetUtcNow() - node.Value.Fetched < ttl)
            {
                pod = node.Value.Pod;
                return true;
            }

            if (node is not null)
            {
                Drop(node);
            }

            pod = null!;
            return false;
        }
    }

    public void Add(string key, Pod pod)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var old))
            {
                Drop(old);
            }

            _byKey[key] = _byAge.AddLast((key, pod, time.GetUtcNow()));
            while (_byKey.Count > capacity)
            {
                Drop(_byAge.First!);
            }
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            if (_byKey.TryGetValue(key, out var node))
            {
                Drop(node);
            }
        }
    }

    private void Drop(LinkedListNode<(string Key, Pod Pod, DateTimeOffset Fetched)> node)
    {
        _byAge.Remove(node);
        _byKey.Remove(node.Value.Key);
    }
}
