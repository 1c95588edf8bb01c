using Sluice.Linux.Namespaces;
using Sluice.Linux.Nftables;

namespace Sluice.Agent.Capture;

/// <summary>
/// Notices a change to the rules of a captured pod the moment it happens, not at the next periodic
/// check: one nf_tables notification socket per watched pod, opened inside the pod's namespace
/// (by the reconciler's thread), all waited on by one thread of its own, which names the pod whose
/// rules changed. Covers nftables and iptables-nft; iptables-legacy sends no notifications, so
/// there the periodic check is what finds a change.
/// </summary>
public sealed class RuleChangeWatch : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Path, NftChangeSocket Socket)> _watched = new(StringComparer.Ordinal);
    private readonly List<NftChangeSocket> _retired = [];
    private readonly Action<string> _changed;
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <param name="changed">Called on the watch's thread with the key of a pod whose rules changed.</param>
    public RuleChangeWatch(Action<string> changed)
    {
        _changed = changed;
        _thread = new Thread(Loop) { IsBackground = true, Name = "capture rule watch" };
        _thread.Start();
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _watched.Count;
            }
        }
    }

    /// <summary>Watches <paramref name="key"/>'s namespace at <paramref name="path"/> (the calling thread enters it: the reconciler's own thread); nothing when it already is.</summary>
    public void Watch(string key, string path)
    {
        lock (_lock)
        {
            if (_watched.TryGetValue(key, out var existing) && existing.Path == path)
            {
                return;
            }
        }

        using var ns = NetNs.Open(path, NetNsEntry.CallingThread);
        var socket = ns.Run(() => NftChangeSocket.Open(ns.Description));
        lock (_lock)
        {
            if (_watched.Remove(key, out var replaced))
            {
                _retired.Add(replaced.Socket);
            }

            _watched[key] = (path, socket);
        }
    }

    /// <summary>Whether <paramref name="key"/>'s namespace is watched (a change to its rules will be reported).</summary>
    public bool IsWatching(string key)
    {
        lock (_lock)
        {
            return _watched.ContainsKey(key);
        }
    }

    public void Unwatch(string key)
    {
        lock (_lock)
        {
            if (_watched.Remove(key, out var removed))
            {
                _retired.Add(removed.Socket);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        lock (_lock)
        {
            foreach (var socket in _watched.Values.Select(w => w.Socket).Concat(_retired))
            {
                socket.Dispose();
            }

            _watched.Clear();
            _retired.Clear();
        }
    }

    private void Loop()
    {
        var nextLook = Environment.TickCount64;
        while (!_stopping)
        {
            if (Environment.TickCount64 >= nextLook)
            {
                // A socket keeps its namespace alive: one whose namespace was unmounted (the
                // sandbox is gone) is closed within a second, and the reconciler told.
                nextLook = Environment.TickCount64 + 1000;
                foreach (var gone in Gone())
                {
                    _changed(gone);
                }
            }

            List<(string Key, NftChangeSocket Socket)> sockets;
            lock (_lock)
            {
                // Sockets are closed only here, between two waits, never while the kernel polls them.
                foreach (var socket in _retired)
                {
                    socket.Dispose();
                }

                _retired.Clear();
                sockets = _watched.Select(w => (w.Key, w.Value.Socket)).ToList();
            }

            foreach (var index in NftChangeSocket.WaitAny(sockets.Select(s => s.Socket).ToList(), Tick))
            {
                if (sockets[index].Socket.Drain() > 0)
                {
                    _changed(sockets[index].Key);
                }
            }
        }
    }

    private List<string> Gone()
    {
        lock (_lock)
        {
            var gone = _watched.Where(w => !File.Exists(w.Value.Path)).Select(w => w.Key).ToList();
            foreach (var key in gone)
            {
                _watched.Remove(key, out var removed);
                _retired.Add(removed.Socket);
            }

            return gone;
        }
    }
}
