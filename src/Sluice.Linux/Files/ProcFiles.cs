using System.Text;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// Small files under /proc and /sys, read with open, read and close and nothing else: no stat
/// first, no file stream or reader. A plugin call reads a few of them, and in its profile the
/// set-up of .NET's file APIs cost more than the reads themselves (docs/benchmarks.md).
/// </summary>
public static class ProcFiles
{
    /// <summary>A bound far above any such file (the kernel reports their size as 0, so a read goes on to end of file).</summary>
    private const int MaxLength = 1024 * 1024;

    /// <summary>The file's text (UTF-8), or null when it does not exist.</summary>
    public static string? ReadOrNull(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = Syscall.Retry(() => Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0));
        if (fd < 0)
        {
            var errno = Syscall.LastError;
            return errno == Errno.ENOENT ? null : throw new LinuxException($"opening {path}", errno);
        }

        using var handle = new SafeFd(fd);
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length >= MaxLength)
                {
                    throw new LinuxException($"reading {path}: longer than {MaxLength} bytes", Errno.EFBIG);
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = ReadInto(handle, buffer.AsSpan(length), path);
            if (read == 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }

            length += read;
        }
    }

    /// <summary>The file's lines without their line ends (none for an empty file), or null when it does not exist.</summary>
    public static string[]? ReadLinesOrNull(string path) =>
        ReadOrNull(path) is not { } text ? null : text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static unsafe int ReadInto(SafeFd fd, Span<byte> destination, string path)
    {
        fixed (byte* start = destination)
        {
            var at = start;
            var count = destination.Length;
            return Syscall.Check(Syscall.Retry(() => (int)Libc.read(fd, at, count)), $"reading {path}");
        }
    }
}
