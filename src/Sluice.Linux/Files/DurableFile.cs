using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// Writes that survive a crash or power loss whole or not at all: data goes to a temporary file
/// in the same directory, is fsynced, then moved into place (rename, or link for create-only),
/// and the directory is fsynced so the new name is durable too.
/// </summary>
public static class DurableFile
{
    private const UnixFileMode DefaultMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Replaces (or creates) <paramref name="path"/> with <paramref name="content"/> atomically.</summary>
    public static void Write(string path, ReadOnlySpan<byte> content, FileSync sync = FileSync.DataAndDirectory, UnixFileMode mode = DefaultMode) =>
        MoveIntoPlace(WriteTemp(path, content, mode, sync != FileSync.None), path, sync);

    /// <summary>Replaces (or creates) <paramref name="path"/> with a copy of <paramref name="source"/> atomically, streaming (no whole-file buffer).</summary>
    public static void Copy(string source, string path, FileSync sync = FileSync.DataAndDirectory, UnixFileMode mode = DefaultMode)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var stream = OpenTemp(path, mode, out var temp);
        try
        {
            using (stream)
            {
                input.CopyTo(stream, 128 * 1024);
                stream.Flush(flushToDisk: sync != FileSync.None);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        MoveIntoPlace(temp, path, sync);
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> only if it does not exist yet;
    /// false when it does. Readers never see the file empty or half written.
    /// </summary>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, FileSync sync = FileSync.DataAndDirectory, UnixFileMode mode = DefaultMode)
    {
        var temp = WriteTemp(path, content, mode, sync != FileSync.None);
        try
        {
            if (Libc.link(temp, path) != 0)
            {
                var errno = Syscall.LastError;
                return errno == Errno.EEXIST ? false : throw new LinuxException($"creating {path}", errno);
            }
        }
        finally
        {
            TryDelete(temp);
        }

        if (sync == FileSync.DataAndDirectory)
        {
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        return true;
    }

    /// <summary>
    /// Rewrites <paramref name="path"/> in place (created if missing), then trims it to the new
    /// length. Not atomic: for small hints whose readers tolerate garbage, where replacing the file
    /// would free and reallocate a block each time.
    /// </summary>
    public static void Overwrite(string path, ReadOnlySpan<byte> content)
    {
        using var handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
        RandomAccess.Write(handle, content, 0);
        RandomAccess.SetLength(handle, content.Length);
    }

    /// <summary>Makes the directory's entries (creations, renames, removals) durable.</summary>
    public static void SyncDirectory(string directory)
    {
        using var fd = FileDescriptors.Open(directory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0, $"opening directory {directory}");
        Syscall.Check(Libc.fsync(fd), $"syncing directory {directory}");
    }

    /// <summary>The prefix of temporary files this class leaves behind only if the process dies mid-write.</summary>
    public static string TempPrefix(string path) => $".{Path.GetFileName(path)}.tmp-";

    private static void MoveIntoPlace(string temp, string path, FileSync sync)
    {
        try
        {
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        if (sync == FileSync.DataAndDirectory)
        {
            SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
    }

    private static string WriteTemp(string path, ReadOnlySpan<byte> content, UnixFileMode mode, bool syncData)
    {
        var stream = OpenTemp(path, mode, out var temp);
        try
        {
            using (stream)
            {
                stream.Write(content);
                stream.Flush(flushToDisk: syncData);
            }
        }
        catch
        {
            TryDelete(temp);
            throw;
        }

        return temp;
    }

    /// <summary>A new temporary file next to <paramref name="path"/>, named with <see cref="TempPrefix"/>.</summary>
    private static FileStream OpenTemp(string path, UnixFileMode mode, out string temp)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        // Random.Shared, not a cryptographic generator: uniqueness comes from O_EXCL, and a CSPRNG
        // would load OpenSSL into every plugin process.
        temp = Path.Combine(directory, $"{TempPrefix(path)}{Environment.ProcessId:x}-{Random.Shared.NextInt64():x}");
        return new FileStream(temp, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = mode,
        });
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
