using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>
/// Whether a path a reader is about to read whole is a regular file. A FIFO would block the
/// reader forever and a device such as /dev/zero never ends; looked at through an O_PATH
/// reference, which opens nothing (following links, as the read would).
/// </summary>
public static class RegularFile
{
    /// <summary>What <paramref name="path"/> is when it exists and is not a regular file (<c>a FIFO</c>, <c>a directory</c>, …); null otherwise (a missing file is the reader's to report).</summary>
    public static string? KindIfNotRegular(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fd = Syscall.Retry(() => Libc.open(path, Libc.O_PATH | Libc.O_CLOEXEC, 0));
        if (fd < 0)
        {
            return null;
        }

        using var reference = new SafeFd(fd);
        var status = FileStatus.Of(reference, $"reading {path}");
        return status.IsRegularFile ? null : status.Kind;
    }
}
