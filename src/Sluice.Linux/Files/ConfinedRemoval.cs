using System.Globalization;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// Removes an entry of one directory, and everything under it, without ever leaving that
/// directory: the entry is named by a single path component, every removal is an
/// <c>unlinkat</c> relative to its parent's descriptor, a symbolic link is removed itself (never
/// followed), and a subdirectory is opened with O_NOFOLLOW from its parent's descriptor, so
/// neither a planted link nor a rename elsewhere can turn a removal outwards.
/// </summary>
public static class ConfinedRemoval
{
    /// <summary>Deeper trees are refused: what Sluice keeps in its directories is at most one level deep.</summary>
    private const int MaxDepth = 8;

    /// <summary>
    /// Removes <paramref name="name"/> from <paramref name="directory"/> (a file, a symbolic link,
    /// or a directory with its contents); returns how many entries went, 0 when there was nothing
    /// (also when <paramref name="directory"/> does not exist).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a single path component.</exception>
    /// <exception cref="LinuxException">Something could not be removed (what was removed before stays removed).</exception>
    public static int Remove(string directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        CheckName(name);
        var fd = Syscall.Retry(() => Libc.open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0));
        if (fd < 0)
        {
            var errno = Syscall.LastError;
            return errno == Errno.ENOENT ? 0 : throw new LinuxException($"open {directory}", errno);
        }

        using var parent = new SafeFd(fd);
        return Remove(parent, name, Path.Combine(directory, name), 0);
    }

    /// <summary>The names in <paramref name="directory"/> that start with <paramref name="prefix"/> (none when it does not exist).</summary>
    public static IReadOnlyList<string> NamesStartingWith(string directory, string prefix)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { AttributesToSkip = 0, RecurseSubdirectories = false })
                .Select(Path.GetFileName)
                .Where(name => name!.StartsWith(prefix, StringComparison.Ordinal))
                .ToList()!;
        }
        catch (DirectoryNotFoundException)
        {
            return [];
        }
    }

    private static int Remove(SafeFd parent, string name, string shown, int depth)
    {
        if (Libc.unlinkat(parent, name, 0) == 0)
        {
            return 1;
        }

        var errno = Syscall.LastError;
        if (errno == Errno.ENOENT)
        {
            return 0;
        }

        if (errno != Errno.EISDIR)
        {
            throw new LinuxException($"remove {shown}", errno);
        }

        if (depth == MaxDepth)
        {
            throw new LinuxException($"remove {shown}: more than {MaxDepth} levels of directories", Errno.ELOOP);
        }

        var removed = RemoveContents(parent, name, shown, depth);
        if (Libc.unlinkat(parent, name, Libc.AT_REMOVEDIR) != 0 && Syscall.LastError != Errno.ENOENT)
        {
            throw new LinuxException($"remove directory {shown}", Syscall.LastError);
        }

        return removed + 1;
    }

    private static int RemoveContents(SafeFd parent, string name, string shown, int depth)
    {
        var fd = Syscall.Retry(() => Libc.openat(parent, name, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0));
        if (fd < 0)
        {
            // ELOOP/ENOTDIR: replaced by a link or a file since the unlink saw a directory; it is not followed.
            throw new LinuxException($"open directory {shown}", Syscall.LastError);
        }

        using var directory = new SafeFd(fd);
        var removed = 0;
        var listing = "/proc/self/fd/" + directory.Number.ToString(CultureInfo.InvariantCulture);
        foreach (var entry in Directory.EnumerateFileSystemEntries(listing, "*", new EnumerationOptions { AttributesToSkip = 0 }).Select(Path.GetFileName).ToList())
        {
            removed += Remove(directory, entry!, Path.Combine(shown, entry!), depth + 1);
        }

        return removed;
    }

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a name inside a directory", nameof(name));
        }
    }
}
