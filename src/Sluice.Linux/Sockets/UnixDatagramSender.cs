using Sluice.Linux.Interop;

namespace Sluice.Linux.Sockets;

/// <summary>
/// Sends datagrams to a Unix socket path without ever blocking (MSG_DONTWAIT): when the
/// receiver is absent (ENOENT, ECONNREFUSED) or its queue is full (EAGAIN), the send fails at
/// once and the caller falls back. Two system calls per process, no .NET socket machinery at start.
/// </summary>
public sealed class UnixDatagramSender : IDisposable
{
    private readonly byte[] _address;
    private SafeFd? _socket;

    /// <exception cref="LinuxException">The path does not fit a Unix socket address.</exception>
    public UnixDatagramSender(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _address = UnixSocketAddress.For(path, $"addressing {path}");
    }

    /// <summary>Sends one datagram; false (with nothing sent) when the receiver cannot take it now.</summary>
    public unsafe bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (_socket is null)
        {
            var fd = Libc.socket(Libc.AF_UNIX, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0)
            {
                return false;
            }

            _socket = new SafeFd(fd);
        }

        fixed (byte* data = datagram)
        fixed (byte* address = _address)
        {
            return Libc.sendto(_socket, data, datagram.Length, Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL, address, _address.Length) == datagram.Length;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
