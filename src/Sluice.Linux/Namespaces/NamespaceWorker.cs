using System.Runtime.ExceptionServices;
using Sluice.Linux.Files;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Namespaces;

/// <summary>
/// One OS thread that entered a network namespace once and then runs work items there, one at a
/// time, until disposed; it never leaves the namespace and never runs anything else, so nothing
/// can leak into other work. Handing a work item to it costs microseconds, where starting a thread
/// and entering the namespace costs a fifth of a millisecond: a plugin does several steps per
/// namespace. A caller that finds it busy (another thread's step, or a step that itself enters
/// the same namespace) gets a one-off thread instead, so nothing waits on a long step. Both sides
/// block without spinning: a step is a netlink round trip of tens to hundreds of microseconds, and
/// the default spin-then-block waits made both threads call sched_yield in a loop (about 190 calls
/// per sluice-redirect ADD), taking a core from the work on a busy node.
/// </summary>
internal sealed class NamespaceWorker : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ManualResetEventSlim _ready = new(false, spinCount: 0);
    private readonly Thread _thread;
    private Func<object?>? _work;
    private object? _result;
    private ExceptionDispatchInfo? _failure;
    private readonly ManualResetEventSlim _done = new(false, spinCount: 0);
    private Exception? _enterFailure;
    private int _busy;
    private bool _stopping;

    public NamespaceWorker(SafeFd ns, string description)
    {
        using var started = new ManualResetEventSlim(false, spinCount: 0);
        _thread = new Thread(() => Loop(ns, description, started)) { IsBackground = true, Name = "sluice-netns-worker" };
        _thread.Start();
        started.Wait();
    }

    /// <summary>Runs <paramref name="work"/> on the worker if it is free; false (nothing run) when it is busy or stopped.</summary>
    public bool TryRun(Func<object?> work, out object? result)
    {
        result = null;
        if (Thread.CurrentThread == _thread || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }

        try
        {
            lock (_gate)
            {
                if (_stopping || _enterFailure is not null)
                {
                    return false;
                }

                _done.Reset();
                _work = work;
            }

            _ready.Set();
            _done.Wait();
            var failure = _failure;
            result = _result;
            (_result, _failure) = (null, null);
            failure?.Throw();
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
        }

        // The worker finishes a step already handed to it, then ends. The semaphore and event
        // stay undisposed: a caller racing with Dispose may still signal them (they hold no handle).
        _ready.Set();
        _thread.Join();
    }

    private void Loop(SafeFd ns, string description, ManualResetEventSlim started)
    {
        try
        {
            Syscall.Check(Libc.setns(ns, Libc.CLONE_NEWNET), $"entering {description}");
        }
        catch (Exception error)
        {
            // Callers fall back to one-off threads, which report the failure themselves.
            _enterFailure = error;
            started.Set();
            return;
        }

        started.Set();
        while (true)
        {
            _ready.Wait();
            Func<object?>? work;
            bool stopping;
            lock (_gate)
            {
                // One step is handed over at a time, and Dispose sets _stopping under the gate
                // before it signals: nothing is lost by resetting here.
                _ready.Reset();
                (work, _work, stopping) = (_work, null, _stopping);
            }

            if (work is not null)
            {
                try
                {
                    _result = work();
                }
                catch (Exception error)
                {
                    _failure = ExceptionDispatchInfo.Capture(error);
                }

                _done.Set();
            }

            if (stopping)
            {
                return;
            }
        }
    }
}
