using System.Runtime.InteropServices;

namespace Sluice.Linux.Interop;

/// <summary>A file descriptor (file, socket, namespace) closed exactly once.</summary>
public sealed class SafeFd : SafeHandle
{
    public SafeFd()
        : base(-1, ownsHandle: true)
    {
    }

    internal SafeFd(int fd)
        : base(-1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle == -1;

    /// <summary>The raw descriptor number (for passing to the kernel in attributes such as IFLA_NET_NS_FD).</summary>
    public int Number => (int)handle;

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
