using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0x0;
    internal const int O_WRONLY = 0x1;
    internal const int O_RDWR = 0x2;
    internal const int O_CREAT = 0x40;
    internal const int O_EXCL = 0x80;
    internal const int O_TRUNC = 0x200;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_APPEND = 0x400;
    internal const int O_CLOEXEC = 0x80000;

    /// <summary>A reference to a file that opens nothing: no FIFO waits, no device driver runs; fstatfs, statx and /proc/self/fd work on it.</summary>
    internal const int O_PATH = 0x200000;

    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;
    internal const int LOCK_UN = 8;

    /// <summary>
    /// O_DIRECTORY is one of the few open flags whose value differs by architecture: 0200000 on
    /// x86_64 (asm-generic), 040000 on arm64, where 0200000 is O_DIRECT (and opening a directory
    /// with it fails with EINVAL).
    /// </summary>
    internal static readonly int O_DIRECTORY = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000 : 0x10000;

    /// <summary>O_NOFOLLOW differs the same way: 0400000 on x86_64, 0100000 on arm64.</summary>
    internal static readonly int O_NOFOLLOW = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000 : 0x20000;

    [LibraryImport(Name, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int close(int fd);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int flock(SafeFd fd, int operation);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int fsync(SafeFd fd);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int link(string oldPath, string newPath);

    /// <summary>Size of struct stat on x86_64 and aarch64 glibc; st_ino is the second 8-byte field.</summary>
    internal const int StatSize = 144;
    internal const int StatInodeOffset = 8;

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int stat(string path, byte* buffer);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int fstat(SafeFd fd, byte* buffer);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial nint write(SafeFd fd, byte* buffer, nint count);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial nint read(SafeFd fd, byte* buffer, nint count);

    /// <summary>struct statx: the same layout on every architecture (unlike struct stat).</summary>
    internal const int StatxSize = 256;
    internal const int StatxModeOffset = 28;
    internal const int StatxInodeOffset = 32;
    internal const int STATX_TYPE = 0x1;
    internal const int STATX_MODE = 0x2;
    internal const int STATX_INO = 0x100;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int statx(SafeFd dirFd, string path, int flags, int mask, byte* buffer);

    /// <summary>struct statfs: f_type is the first field (a long) on x86_64 and aarch64.</summary>
    internal const int StatfsSize = 120;

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int fstatfs(SafeFd fd, byte* buffer);
}
