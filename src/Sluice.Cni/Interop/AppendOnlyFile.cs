using System.Runtime.InteropServices;

namespace Sluice.Cni.Interop;

/// <summary>
/// A file opened with O_APPEND, so that each write lands at the end even when many plugin
/// processes log to the same file at once (.NET's FileMode.Append only seeks at open).
/// </summary>
internal sealed partial class AppendOnlyFile : IDisposable
{
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_CLOEXEC = 0x80000;

    private int _fd;

    private AppendOnlyFile(int fd) => _fd = fd;

    /// <summary>Opens (creating, mode 0644) <paramref name="path"/> for appending; throws IOException naming the errno.</summary>
    public static AppendOnlyFile Open(string path)
    {
        var fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0b110_100_100);
        return fd >= 0 ? new AppendOnlyFile(fd) : throw new IOException($"{Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())} opening {path}");
    }

    /// <summary>Writes the whole buffer with one write(2) (appends of a few hundred bytes are not interleaved).</summary>
    public unsafe void Write(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var written = write(_fd, p, data.Length);
            if (written < 0)
            {
                throw new IOException(Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
            }
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            // Nothing useful to do if close fails on a log file.
            _ = close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags, int mode);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
