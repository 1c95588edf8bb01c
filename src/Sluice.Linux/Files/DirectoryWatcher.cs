using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// Waits for changes in a set of directories (inotify): a file created, written, renamed,
/// removed or its mode changed. Callers reconcile after every wake-up; the watcher does not
/// say what changed, so nothing is missed when events are merged or the queue overflows.
/// A directory that does not exist yet is watched from the moment <see cref="Watch"/> finds it.
/// </summary>
public sealed class DirectoryWatcher : IDisposable
{
    private const uint Mask = Libc.IN_MODIFY | Libc.IN_ATTRIB | Libc.IN_CLOSE_WRITE | Libc.IN_MOVED_FROM | Libc.IN_MOVED_TO |
        Libc.IN_CREATE | Libc.IN_DELETE | Libc.IN_DELETE_SELF | Libc.IN_MOVE_SELF;

    private readonly SafeFd _fd;
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);

    public DirectoryWatcher()
    {
        var fd = Libc.inotify_init1(Libc.IN_NONBLOCK | Libc.IN_CLOEXEC);
        _fd = fd >= 0 ? new SafeFd(fd) : throw new LinuxException("creating an inotify instance", Syscall.LastError);
    }

    /// <summary>Watches <paramref name="directory"/>; false when it does not exist (call again later).</summary>
    public bool Watch(string directory)
    {
        if (_watched.Contains(directory))
        {
            return true;
        }

        if (Libc.inotify_add_watch(_fd, directory, Mask) < 0)
        {
            var errno = Syscall.LastError;
            return errno is Errno.ENOENT or Errno.ENOTDIR ? false : throw new LinuxException($"watching {directory}", errno);
        }

        _watched.Add(directory);
        return true;
    }

    /// <summary>Forgets every watch's bookkeeping after a directory was removed, so <see cref="Watch"/> adds it again.</summary>
    public void Forget(string directory) => _watched.Remove(directory);

    /// <summary>Blocks up to <paramref name="timeout"/> for a change; true when something changed (the events are drained).</summary>
    public unsafe bool Wait(TimeSpan timeout)
    {
        var poll = new Libc.PollFd { Fd = (int)_fd.DangerousGetHandle(), Events = Libc.POLLIN };
        var ready = Libc.poll(&poll, 1, (int)Math.Clamp(timeout.TotalMilliseconds, 0, int.MaxValue));
        if (ready < 0)
        {
            var errno = Syscall.LastError;
            return errno == Errno.EINTR ? false : throw new LinuxException("waiting for inotify events", errno);
        }

        if (ready == 0)
        {
            return false;
        }

        var buffer = stackalloc byte[4096];
        while (Libc.read(_fd, buffer, 4096) > 0)
        {
            // Drain: the content does not matter, every wake-up reconciles everything.
        }

        return true;
    }

    public void Dispose() => _fd.Dispose();
}
