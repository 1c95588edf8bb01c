using System.Text;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Sockets;

/// <summary><c>struct sockaddr_un</c> for a path: the family, then the path and its terminating zero in 108 bytes.</summary>
public static class UnixSocketAddress
{
    /// <summary>Whether <paramref name="path"/> fits (at most 107 bytes of UTF-8).</summary>
    public static bool Fits(string path) => Encoding.UTF8.GetByteCount(path) < Libc.SockaddrUnSize - 2;

    /// <summary>The address of <paramref name="path"/>, <see cref="Libc.SockaddrUnSize"/> bytes.</summary>
    /// <exception cref="LinuxException">The path is too long (ENAMETOOLONG); <paramref name="operation"/> names what needed it.</exception>
    internal static byte[] For(string path, string operation)
    {
        if (!Fits(path))
        {
            throw new LinuxException(operation, Errno.ENAMETOOLONG);
        }

        var address = new byte[Libc.SockaddrUnSize];
        address[0] = Libc.AF_UNIX;
        Encoding.UTF8.GetBytes(path, address.AsSpan(2));
        return address;
    }
}
