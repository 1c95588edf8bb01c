using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;
    internal const int CLONE_NEWNS = 0x00020000;

    internal const ulong MS_BIND = 0x1000;
    internal const ulong MS_REC = 0x4000;
    internal const ulong MS_SHARED = 1 << 20;

    internal const int MNT_DETACH = 2;

    /// <summary>ioctl on a namespace file: its type as a CLONE_NEW* value (_IO(0xb7, 0x3), Linux 4.11).</summary>
    internal const nuint NS_GET_NSTYPE = 0xb703;

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setns(SafeFd fd, int nstype);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int ioctl(SafeFd fd, nuint request);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int unshare(int flags);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mount(string? source, string target, string? fileSystemType, ulong flags, nint data);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int umount2(string target, int flags);

    [LibraryImport(Name)]
    internal static partial int gettid();
}
