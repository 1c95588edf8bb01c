using System.Globalization;
using Sluice.Linux.Files;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Namespaces;

/// <summary>
/// Opens a path that should be a network namespace without ever acting on anything else: first
/// as an <c>O_PATH</c> reference, which opens nothing (a FIFO cannot block it, a device driver
/// never runs), then checked to be on nsfs and of the network kind, and only then opened for
/// real through <c>/proc/self/fd</c>, so what is opened is the file that was checked.
/// </summary>
internal static class NamespaceFile
{
    public static SafeFd OpenNetwork(string path)
    {
        var operation = $"opening netns {path}";
        using var reference = FileDescriptors.Open(path, Libc.O_PATH | Libc.O_CLOEXEC, 0, operation);
        if (!FileStatus.IsNamespaceFile(reference, operation))
        {
            throw new NotANetworkNamespaceException(path, FileStatus.Of(reference, operation).Kind);
        }

        var fd = FileDescriptors.Open(
            "/proc/self/fd/" + reference.Number.ToString(CultureInfo.InvariantCulture),
            Libc.O_RDONLY | Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.O_NOCTTY,
            0,
            operation);
        var type = Libc.ioctl(fd, Libc.NS_GET_NSTYPE);
        if (type != Libc.CLONE_NEWNET)
        {
            var error = Syscall.LastError;
            fd.Dispose();
            throw type < 0
                ? new LinuxException($"reading the namespace type of {path}", error)
                : new NotANetworkNamespaceException(path, Describe(type));
        }

        return fd;
    }

    private static string Describe(int type) => type switch
    {
        0x00020000 => "a mount namespace",
        0x02000000 => "a cgroup namespace",
        0x04000000 => "a UTS namespace",
        0x08000000 => "an IPC namespace",
        0x10000000 => "a user namespace",
        0x20000000 => "a PID namespace",
        0x00000080 => "a time namespace",
        _ => "a namespace of another kind",
    };
}
