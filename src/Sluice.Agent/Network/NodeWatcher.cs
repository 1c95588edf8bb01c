using System.Collections.Concurrent;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Network;

/// <summary>
/// Every node's pod CIDRs and InternalIPs, kept by list and watch (<see cref="ListWatch{T}"/>: one
/// list, then watches resumed from the last version seen). <see cref="Version"/> moves on every change, so the install loop
/// knows when to reconcile the routes and the pod network's configuration.
/// </summary>
public sealed class NodeWatcher(KubeClient client, AgentLog log)
{
    private readonly ConcurrentDictionary<string, NodeAddressing> _nodes = new(StringComparer.Ordinal);
    private long _version;
    private volatile bool _synced;
    private ListWatch<Node>? _listWatch;
    private int _largeListApplied;

    /// <summary>Lists at least this long leave enough garbage behind (their body, every Node's images and conditions) to be worth returning to the system at once.</summary>
    public const int LargeList = 1000;

    /// <summary>True once the first list arrived (before that, no route is removed for a node not yet seen).</summary>
    public bool Synced => _synced;

    /// <summary>Changes whenever a node was added, changed or removed.</summary>
    public long Version => Interlocked.Read(ref _version);

    public IReadOnlyList<NodeAddressing> Nodes => [.. _nodes.Values];

    public NodeAddressing? Find(string name) => _nodes.TryGetValue(name, out var node) ? node : null;

    /// <summary>
    /// True once after a list of at least <see cref="LargeList"/> nodes was applied: the caller may
    /// return the list's memory to the system (see AgentHost.ReleaseListMemory).
    /// </summary>
    public bool TakeLargeListApplied() => Interlocked.Exchange(ref _largeListApplied, 0) == 1;

    /// <summary>Lists and watches made so far (a steady agent: one list, one watch at a time).</summary>
    public (int Lists, int Watches) Requests => (_listWatch?.Lists ?? 0, _listWatch?.Watches ?? 0);

    public Task RunAsync(CancellationToken stop)
    {
        _listWatch = new ListWatch<Node>(client.ListNodesAsync, client.WatchNodesAsync, node => node.Metadata.ResourceVersion)
        {
            What = "nodes",
            Listed = list => Replace(list.Items),
            Changed = Apply,
            Warn = log.Warn,
            Debug = log.Debug,
        };
        return _listWatch.RunAsync(stop);
    }

    private void Replace(List<Node> nodes)
    {
        var fresh = nodes.Select(NodeAddressing.From).Where(n => n.Name.Length > 0).ToDictionary(n => n.Name, StringComparer.Ordinal);
        foreach (var gone in _nodes.Keys.Where(k => !fresh.ContainsKey(k)).ToList())
        {
            _nodes.TryRemove(gone, out _);
        }

        foreach (var (name, node) in fresh)
        {
            _nodes[name] = node;
        }

        _synced = true;
        Interlocked.Increment(ref _version);
        if (nodes.Count >= LargeList)
        {
            Volatile.Write(ref _largeListApplied, 1);
        }
    }

    private void Apply(WatchEvent<Node> change)
    {
        if (change.Object.Metadata.Name is not { Length: > 0 } name)
        {
            return;
        }

        if (change.Type == WatchEventTypes.Deleted)
        {
            _nodes.TryRemove(name, out _);
            log.Info($"node {name} was deleted");
        }
        else
        {
            var node = NodeAddressing.From(change.Object);
            if (_nodes.TryGetValue(name, out var known) && SameAddressing(known, node))
            {
                return;
            }

            _nodes[name] = node;
        }

        Interlocked.Increment(ref _version);
    }

    private static bool SameAddressing(NodeAddressing a, NodeAddressing b) =>
        a.PodCidrs.SequenceEqual(b.PodCidrs) && a.InternalIps.SequenceEqual(b.InternalIps) && a.Problems.SequenceEqual(b.Problems);
}
