using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

internal static partial class Libc
{
    internal const int AF_UNSPEC = 0;
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_BRIDGE = 7;
    internal const int AF_INET6 = 10;
    internal const int AF_NETLINK = 16;

    internal const int SOCK_STREAM = 1;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_RAW = 3;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    internal const int SOL_SOCKET = 1;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;
    internal const int SO_RCVTIMEO = 20;
    internal const int SO_NETNS_COOKIE = 71;
    internal const int SO_SNDTIMEO = 21;
    internal const int SOL_NETLINK = 270;
    internal const int SOL_IP = 0;
    internal const int SOL_IPV6 = 41;

    internal const int MSG_PEEK = 0x2;
    internal const int MSG_DONTWAIT = 0x40;
    internal const int MSG_TRUNC = 0x20;
    internal const int MSG_NOSIGNAL = 0x4000;

    /// <summary>The size of <c>struct sockaddr_un</c>: the family, then 108 bytes of path.</summary>
    internal const int SockaddrUnSize = 110;

    [StructLayout(LayoutKind.Sequential)]
    internal struct SockaddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Timeval
    {
        public long Seconds;
        public long Microseconds;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int bind(SafeFd fd, in SockaddrNl address, int length);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int connect(SafeFd fd, void* address, int length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int getsockname(SafeFd fd, out SockaddrNl address, ref int length);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int setsockopt(SafeFd fd, int level, int name, void* value, int length);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int getsockopt(SafeFd fd, int level, int name, void* value, ref int length);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial nint send(SafeFd fd, byte* buffer, nint length, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial nint sendto(SafeFd fd, byte* buffer, nint length, int flags, void* address, int addressLength);

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial nint recv(SafeFd fd, byte* buffer, nint length, int flags);
}
