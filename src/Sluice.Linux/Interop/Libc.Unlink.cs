using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    /// <summary>unlinkat's flag that removes an (empty) directory instead of a file.</summary>
    internal const int AT_REMOVEDIR = 0x200;

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlinkat(SafeFd dirFd, string name, int flags);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int openat(SafeFd dirFd, string name, int flags, int mode);
}
