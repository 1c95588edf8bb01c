using Sluice.Linux.Interop;

namespace Sluice.Linux.Files;

/// <summary>Raw descriptors for what .NET's file APIs cannot open: directories, namespaces, lock files without .NET's own locking.</summary>
public static class FileDescriptors
{
    public static SafeFd Open(string path, int flags, int mode, string operation)
    {
        var fd = Syscall.Retry(() => Libc.open(path, flags, mode));
        return fd >= 0 ? new SafeFd(fd) : throw new LinuxException(operation, Syscall.LastError);
    }

    public static SafeFd OpenReadOnly(string path, string operation) =>
        Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0, operation);
}
