using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// An exclusive <c>flock(2)</c> on a lock file: the lock the reference plugins (host-local) use,
/// so Sluice and they exclude each other. The kernel drops it when the process dies, so a
/// killed plugin never leaves the store locked.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly SafeFd _fd;

    private FileLock(SafeFd fd, string path)
    {
        _fd = fd;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating it if needed) <paramref name="path"/> and blocks until the lock is ours.</summary>
    public static FileLock Acquire(string path)
    {
        var fd = FileDescriptors.Open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0b110_100_100, $"opening lock file {path}");
        try
        {
            Syscall.Check(Syscall.Retry(() => Libc.flock(fd, Libc.LOCK_EX)), $"locking {path}");
            return new FileLock(fd, path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Blocks until the lock on an existing file is ours, opening it read-only and creating
    /// nothing: for locks on files that are not lock files, such as a namespace's nsfs file.
    /// </summary>
    public static FileLock AcquireExisting(string path)
    {
        var fd = FileDescriptors.OpenReadOnly(path, $"opening {path} to lock it");
        try
        {
            Syscall.Check(Syscall.Retry(() => Libc.flock(fd, Libc.LOCK_EX)), $"locking {path}");
            return new FileLock(fd, path);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>Takes the lock only if nobody holds it; null when it is held elsewhere.</summary>
    public static FileLock? TryAcquire(string path)
    {
        var fd = FileDescriptors.Open(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC, 0b110_100_100, $"opening lock file {path}");
        if (Syscall.Retry(() => Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB)) == 0)
        {
            return new FileLock(fd, path);
        }

        var errno = Syscall.LastError;
        fd.Dispose();
        return errno == Errno.EAGAIN ? null : throw new LinuxException($"locking {path}", errno);
    }

    /// <summary>Closing the descriptor releases the lock.</summary>
    public void Dispose() => _fd.Dispose();
}
