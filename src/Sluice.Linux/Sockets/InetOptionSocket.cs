using System.Net.Sockets;
using Sluice.Linux.Interop;

namespace Sluice.Linux.Sockets;

/// <summary>
/// An IPv4 or IPv6 datagram socket in the calling thread's namespace, used only for the socket
/// options the kernel answers on any socket of the family (iptables' legacy tables are read with
/// <c>IPT_SO_GET_INFO</c>/<c>IPT_SO_GET_ENTRIES</c> on one). A datagram socket needs no
/// CAP_NET_RAW, unlike the raw socket iptables itself opens; the options still need CAP_NET_ADMIN.
/// </summary>
public sealed class InetOptionSocket : IDisposable
{
    private readonly SafeFd _fd;

    private InetOptionSocket(SafeFd fd, AddressFamily family)
    {
        _fd = fd;
        Family = family;
    }

    public AddressFamily Family { get; }

    /// <summary>The option level of the family's own options (SOL_IP or SOL_IPV6).</summary>
    public int Level => Family == AddressFamily.InterNetworkV6 ? Libc.SOL_IPV6 : Libc.SOL_IP;

    public static InetOptionSocket Open(AddressFamily family)
    {
        var domain = family switch
        {
            AddressFamily.InterNetwork => Libc.AF_INET,
            AddressFamily.InterNetworkV6 => Libc.AF_INET6,
            _ => throw new ArgumentException($"{family} is not IPv4 or IPv6", nameof(family)),
        };
        var fd = Libc.socket(domain, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        return fd >= 0
            ? new InetOptionSocket(new SafeFd(fd), family)
            : throw new LinuxException($"opening an {(domain == Libc.AF_INET ? "IPv4" : "IPv6")} socket", Syscall.LastError);
    }

    /// <summary>
    /// <c>getsockopt(fd, Level, name, buffer, &amp;length)</c>: the buffer carries the request in (some
    /// options read a name from it) and the answer out; returns the length the kernel wrote.
    /// </summary>
    public unsafe int Get(int name, Span<byte> buffer, string operation)
    {
        var length = buffer.Length;
        fixed (byte* p = buffer)
        {
            Syscall.Check(Libc.getsockopt(_fd, Level, name, p, ref length), operation);
        }

        return length;
    }

    public void Dispose() => _fd.Dispose();
}
