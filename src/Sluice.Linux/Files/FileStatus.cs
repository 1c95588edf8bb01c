using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>What kind of file an open descriptor is (statx, whose layout is the same on every architecture).</summary>
public readonly record struct FileStatus(uint Mode, ulong Inode)
{
    private const uint S_IFMT = 0xF000;
    private const uint S_IFREG = 0x8000;
    private const uint S_IFDIR = 0x4000;

    /// <summary>The kernel's magic number of nsfs, the file system of namespace files (/proc/PID/ns/net, bind mounts of them).</summary>
    private const long NSFS_MAGIC = 0x6e736673;

    public bool IsRegularFile => (Mode & S_IFMT) == S_IFREG;

    public bool IsDirectory => (Mode & S_IFMT) == S_IFDIR;

    /// <summary>The status of the file <paramref name="fd"/> refers to.</summary>
    public static unsafe FileStatus Of(SafeFd fd, string operation)
    {
        ArgumentNullException.ThrowIfNull(fd);
        var buffer = stackalloc byte[Libc.StatxSize];
        Syscall.Check(Libc.statx(fd, "", Libc.AT_EMPTY_PATH, Libc.STATX_TYPE | Libc.STATX_MODE | Libc.STATX_INO, buffer), operation);
        return new FileStatus(*(ushort*)(buffer + Libc.StatxModeOffset), *(ulong*)(buffer + Libc.StatxInodeOffset));
    }

    /// <summary>Whether <paramref name="fd"/> is a namespace file (on nsfs), not a file or FIFO someone named instead.</summary>
    public static unsafe bool IsNamespaceFile(SafeFd fd, string operation)
    {
        ArgumentNullException.ThrowIfNull(fd);
        var buffer = stackalloc byte[Libc.StatfsSize];
        Syscall.Check(Libc.fstatfs(fd, buffer), operation);
        return *(long*)buffer == NSFS_MAGIC;
    }
}
