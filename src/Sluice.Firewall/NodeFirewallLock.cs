using Sluice.Linux.Files;

namespace Sluice.Firewall;

/// <summary>
/// The node's firewall lock (<see cref="NodeFirewall.Lock"/>) as the calling thread holds it, with
/// the work that waits for its release (<see cref="NodeFirewall.AfterRelease"/>): bookkeeping that
/// needs no lock, done after the flock is dropped so the next change on the node waits only for
/// the change itself.
/// </summary>
public sealed class NodeFirewallLock : IDisposable
{
    [ThreadStatic]
    private static NodeFirewallLock? HeldOnThisThread;

    private readonly FileLock _lock;
    private readonly List<Action> _afterRelease = [];
    private bool _released;

    internal NodeFirewallLock(FileLock fileLock)
    {
        _lock = fileLock;
        HeldOnThisThread = this;
    }

    /// <summary>
    /// The lock the calling thread holds; null when it holds none. Never nested: a second flock of
    /// the same namespace file from this process would wait for the first.
    /// </summary>
    internal static NodeFirewallLock? Held => HeldOnThisThread;

    internal void Defer(Action work) => _afterRelease.Add(work);

    /// <summary>Drops the flock, then runs the deferred work in the order it came.</summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        HeldOnThisThread = null;
        _lock.Dispose();
        foreach (var work in _afterRelease)
        {
            work();
        }
    }
}
