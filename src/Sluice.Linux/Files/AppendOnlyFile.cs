using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// A log file opened with O_APPEND, so that each write lands at the end even when many plugin
/// processes log to the same file at once (.NET's FileMode.Append only seeks at open). It is never
/// reached through a symbolic link, never anything but a regular file (a FIFO named instead would
/// block every write), and its directory is never created: a configuration cannot make a root
/// process create directories or write through a link to somewhere else.
/// </summary>
public sealed class AppendOnlyFile : IDisposable
{
    private readonly SafeFd _fd;

    private AppendOnlyFile(SafeFd fd) => _fd = fd;

    /// <summary>Opens (creating, mode 0644) <paramref name="path"/>, an absolute path in an existing directory, for appending.</summary>
    /// <exception cref="LinuxException">The file cannot be opened (ELOOP for a symbolic link, ENOENT for a missing directory), or is not a regular file.</exception>
    public static AppendOnlyFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!Path.IsPathFullyQualified(path))
        {
            throw new ArgumentException($"'{path}' is not an absolute path", nameof(path));
        }

        var operation = $"open {path}";
        var fd = FileDescriptors.Open(
            path,
            Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND | Libc.O_CLOEXEC | Libc.O_NOFOLLOW | Libc.O_NONBLOCK,
            0b110_100_100,
            operation);
        if (!FileStatus.Of(fd, operation).IsRegularFile)
        {
            fd.Dispose();
            throw new LinuxException($"{operation}: not a regular file", Errno.EINVAL);
        }

        return new AppendOnlyFile(fd);
    }

    /// <summary>Writes the whole buffer with one write(2) (appends of a few hundred bytes are not interleaved).</summary>
    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            Syscall.Check(Libc.write(_fd, p, data.Length), "write log file");
        }
    }

    public void Dispose() => _fd.Dispose();
}
