using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    internal const int IN_NONBLOCK = 0x800;
    internal const int IN_CLOEXEC = 0x80000;

    internal const uint IN_MODIFY = 0x2;
    internal const uint IN_ATTRIB = 0x4;
    internal const uint IN_CLOSE_WRITE = 0x8;
    internal const uint IN_MOVED_FROM = 0x40;
    internal const uint IN_MOVED_TO = 0x80;
    internal const uint IN_CREATE = 0x100;
    internal const uint IN_DELETE = 0x200;
    internal const uint IN_DELETE_SELF = 0x400;
    internal const uint IN_MOVE_SELF = 0x800;

    internal const short POLLIN = 0x1;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int inotify_init1(int flags);

    [LibraryImport(Name, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int inotify_add_watch(SafeFd fd, string path, uint mask);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int poll(PollFd* fds, nuint count, int timeoutMs);
}
