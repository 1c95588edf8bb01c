using System.Runtime.InteropServices;
using System.Text;

namespace Sluice.Cni.Interop;

/// <summary>
/// Sends datagrams to a Unix socket path without ever blocking (MSG_DONTWAIT): when the
/// receiver is absent (ENOENT, ECONNREFUSED) or its queue is full (EAGAIN), the send fails at
/// once and the caller falls back. Two system calls per process, no .NET socket machinery at start.
/// </summary>
internal sealed unsafe partial class UnixDatagramSender : IDisposable
{
    private const int AF_UNIX = 1;
    private const int SOCK_DGRAM = 2;
    private const int SOCK_NONBLOCK = 0x800;
    private const int SOCK_CLOEXEC = 0x80000;
    private const int MSG_DONTWAIT = 0x40;
    private const int MSG_NOSIGNAL = 0x4000;
    private const int SunPathLength = 108;

    private readonly byte[] _address;
    private int _fd = -1;

    public UnixDatagramSender(string path)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path);
        if (pathBytes.Length >= SunPathLength)
        {
            throw new ArgumentException($"socket path {path} is longer than {SunPathLength - 1} bytes", nameof(path));
        }

        _address = new byte[2 + pathBytes.Length + 1];
        _address[0] = AF_UNIX;
        pathBytes.CopyTo(_address, 2);
    }

    /// <summary>Sends one datagram; false (with nothing sent) when the receiver cannot take it now.</summary>
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (_fd < 0)
        {
            _fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
            if (_fd < 0)
            {
                return false;
            }
        }

        fixed (byte* data = datagram)
        fixed (byte* address = _address)
        {
            return sendto(_fd, data, datagram.Length, MSG_DONTWAIT | MSG_NOSIGNAL, address, _address.Length) == datagram.Length;
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = close(_fd);
            _fd = -1;
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendto(int fd, byte* buffer, nint length, int flags, byte* address, int addressLength);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
