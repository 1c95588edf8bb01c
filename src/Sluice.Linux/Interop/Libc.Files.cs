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
    internal const int O_CLOEXEC = 0x80000;

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
}
