using System.Runtime.ExceptionServices;
using Sluice.Linux.Files;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Namespaces;

/// <summary>
/// An open network namespace (<c>/var/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>, …).
/// Namespaces belong to threads, so work inside one runs on an OS thread that entered it and
/// only ever works for it: the namespace's own worker (<see cref="NamespaceWorker"/>, started on
/// first use, ended by Dispose) or, when that is busy, a one-off thread that enters and goes
/// back before it ends. No thread that entered is reused for other work, so a namespace cannot
/// leak to it. The calling thread never changes namespace, unless the namespace was opened with
/// <see cref="NetNsEntry.CallingThread"/> (a short single-threaded process): then the calling thread
/// enters for each step and goes back. Work inside must not queue to the thread pool: a new thread
/// inherits the namespace of the thread that creates it, and the pool creates its workers from
/// whichever thread queues work, so such a worker would stay in the namespace and later run
/// unrelated work there (ChildProcess copies a child's output on threads of its own for that reason).
/// The runtime's timer and socket threads, which create pool workers too, start on first use: a
/// process that enters namespaces starts them first (<see cref="RuntimeThreads"/>).
/// </summary>
public sealed class NetNs : IDisposable
{
    private const string ThreadSelf = "/proc/thread-self/ns/net";

    private readonly Lock _workerGate = new();
    private NamespaceWorker? _worker;
    private bool _disposed;

    private readonly NetNsEntry _entry;

    private NetNs(SafeFd handle, string path, NetNsEntry entry = NetNsEntry.Worker)
    {
        Handle = handle;
        Path = path;
        _entry = entry;
    }

    public SafeFd Handle { get; }

    public string Path { get; }

    /// <summary>How messages name this namespace: <c>netns /var/run/netns/pod1</c>.</summary>
    public string Description => $"netns {Path}";

    /// <summary>
    /// Opens a namespace by path; a missing path is ENOENT. A path that is not a network namespace
    /// (a FIFO, a file, a directory, a device, another kind of namespace) is refused with
    /// <see cref="NotANetworkNamespaceException"/> before anything is done with it (<see cref="NamespaceFile"/>).
    /// </summary>
    public static NetNs Open(string path, NetNsEntry entry = NetNsEntry.Worker)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new NetNs(NamespaceFile.OpenNetwork(path), path, entry);
    }

    /// <summary>The calling thread's own namespace.</summary>
    public static NetNs Current() => new(FileDescriptors.OpenReadOnly(ThreadSelf, "opening the current netns"), "(current)");

    /// <summary>The kernel's identity of the calling thread's namespace (its nsfs inode), e.g. <c>net:[4026531840]</c>.</summary>
    public static unsafe string CurrentIdentity()
    {
        var buffer = stackalloc byte[Libc.StatSize];
        Syscall.Check(Libc.stat(ThreadSelf, buffer), $"reading {ThreadSelf}");
        return Format(buffer);
    }

    /// <summary>The kernel's identity of this namespace (same form as <see cref="CurrentIdentity"/>).</summary>
    public unsafe string Identity()
    {
        var buffer = stackalloc byte[Libc.StatSize];
        Syscall.Check(Libc.fstat(Handle, buffer), $"reading {Description}");
        return Format(buffer);
    }

    public void Run(Action action) => Run<object?>(() =>
    {
        action();
        return null;
    });

    /// <summary>Runs <paramref name="action"/> inside this namespace and returns its result (or rethrows its exception).</summary>
    public T Run<T>(Func<T> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        if (_entry == NetNsEntry.CallingThread)
        {
            return OnCallingThread(action);
        }

        if (Worker() is { } worker && worker.TryRun(() => action(), out var result))
        {
            return (T)result!;
        }

        return OnDedicatedThread(() =>
        {
            using var original = FileDescriptors.OpenReadOnly(ThreadSelf, "opening the current netns");
            Syscall.Check(Libc.setns(Handle, Libc.CLONE_NEWNET), $"entering {Description}");
            try
            {
                return action();
            }
            finally
            {
                // If this fails the thread still ends right after: nothing else ever runs on it.
                Libc.setns(original, Libc.CLONE_NEWNET);
            }
        });
    }

    public void Dispose()
    {
        NamespaceWorker? worker;
        lock (_workerGate)
        {
            _disposed = true;
            (worker, _worker) = (_worker, null);
        }

        worker?.Dispose();
        Handle.Dispose();
    }

    private T OnCallingThread<T>(Func<T> action)
    {
        using var original = FileDescriptors.OpenReadOnly(ThreadSelf, "opening the current netns");
        ObjectDisposedException.ThrowIf(_disposed, this);
        Syscall.Check(Libc.setns(Handle, Libc.CLONE_NEWNET), $"entering {Description}");
        try
        {
            return action();
        }
        finally
        {
            if (Libc.setns(original, Libc.CLONE_NEWNET) != 0)
            {
                // Going on in the wrong namespace could touch the wrong network: stop here.
                Environment.FailFast($"cannot go back to the original network namespace after working in {Description} (errno {Syscall.LastError})");
            }
        }
    }

    private NamespaceWorker? Worker()
    {
        lock (_workerGate)
        {
            return _disposed ? null : _worker ??= new NamespaceWorker(Handle, Description);
        }
    }

    private static unsafe string Format(byte* stat) => $"net:[{*(ulong*)(stat + Libc.StatInodeOffset)}]";

    internal static T OnDedicatedThread<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception error)
            {
                failure = ExceptionDispatchInfo.Capture(error);
            }
        })
        {
            IsBackground = true,
            Name = "sluice-netns",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
