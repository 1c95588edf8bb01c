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

    private const uint S_IFIFO = 0x1000;
    private const uint S_IFCHR = 0x2000;
    private const uint S_IFBLK = 0x6000;
    private const uint S_IFLNK = 0xA000;
    private const uint S_IFSOCK = 0xC000;

    public bool IsRegularFile => (Mode & S_IFMT) == S_IFREG;

    /// <summary>What kind of file this is, as messages say it: <c>a regular file</c>, <c>a FIFO</c>, <c>a directory</c>, …</summary>
    public string Kind => (Mode & S_IFMT) switch
    {
        S_IFREG => "a regular file",
        S_IFDIR => "a directory",
        S_IFIFO => "a FIFO",
        S_IFCHR => "a character device",
        S_IFBLK => "a block device",
        S_IFLNK => "a symbolic link",
        S_IFSOCK => "a socket",
        _ => "a file of an unknown kind",
    };

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
