using Sluice.Linux.Interop;

namespace Sluice.Linux.Sockets;

/// <summary>
/// One request and one answer line over a Unix stream socket, with plain libc calls. A plugin
/// asks once per process; System.Net.Sockets would first start its epoll thread and probe the
/// address families with three throw-away sockets, which costs more than the question.
/// </summary>
public static class UnixLineClient
{
    private const int Chunk = 16 * 1024;

    /// <summary>
    /// Connects to <paramref name="path"/>, sends <paramref name="request"/> and returns the answer up to
    /// its first newline (without it), or up to the end if the server closes without one; null if it
    /// closes without answering. Every send and receive waits at most <paramref name="patience"/>.
    /// </summary>
    /// <exception cref="LinuxException">The socket cannot be reached, or did not answer in time (EAGAIN).</exception>
    /// <exception cref="IOException">The answer is longer than <paramref name="maxAnswer"/> bytes.</exception>
    public static unsafe byte[]? Exchange(string path, ReadOnlySpan<byte> request, TimeSpan patience, int maxAnswer)
    {
        ArgumentNullException.ThrowIfNull(path);
        var socket = new SafeFd(Syscall.Check(Libc.socket(Libc.AF_UNIX, Libc.SOCK_STREAM | Libc.SOCK_CLOEXEC, 0), "opening a Unix socket"));
        using (socket)
        {
            var timeout = new Libc.Timeval { Seconds = (long)patience.TotalSeconds, Microseconds = patience.Microseconds + (patience.Milliseconds * 1000L) };
            Syscall.Check(Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_SNDTIMEO, &timeout, sizeof(Libc.Timeval)), "setting a send timeout");
            Syscall.Check(Libc.setsockopt(socket, Libc.SOL_SOCKET, Libc.SO_RCVTIMEO, &timeout, sizeof(Libc.Timeval)), "setting a receive timeout");
            Connect(socket, path);
            Send(socket, request, path);
            return Receive(socket, maxAnswer, path);
        }
    }

    private static unsafe void Connect(SafeFd socket, string path)
    {
        var address = UnixSocketAddress.For(path, $"connecting to {path}");
        fixed (byte* start = address)
        {
            var at = start;
            Syscall.Check(Syscall.Retry(() => Libc.connect(socket, at, address.Length)), $"connecting to {path}");
        }
    }

    private static unsafe void Send(SafeFd socket, ReadOnlySpan<byte> request, string path)
    {
        fixed (byte* start = request)
        {
            for (var sent = 0; sent < request.Length;)
            {
                var at = start + sent;
                var left = request.Length - sent;
                sent += (int)Syscall.Check((nint)Syscall.Retry(() => (int)Libc.send(socket, at, left, Libc.MSG_NOSIGNAL)), $"sending to {path}");
            }
        }
    }

    private static unsafe byte[]? Receive(SafeFd socket, int maxAnswer, string path)
    {
        var answer = new MemoryStream();
        var buffer = GC.AllocateUninitializedArray<byte>(Chunk);
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var at = start;
                var read = Syscall.Check(Syscall.Retry(() => (int)Libc.recv(socket, at, Chunk, 0)), $"reading from {path}");
                if (read == 0)
                {
                    return answer.Length == 0 ? null : answer.ToArray();
                }

                var end = buffer.AsSpan(0, read).IndexOf((byte)'\n');
                answer.Write(buffer, 0, end >= 0 ? end : read);
                if (end >= 0)
                {
                    return answer.ToArray();
                }

                if (answer.Length > maxAnswer)
                {
                    throw new IOException($"the answer from {path} is longer than {maxAnswer} bytes");
                }
            }
        }
    }
}
