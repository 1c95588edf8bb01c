using Sluice.Linux.Interop;

namespace Sluice.Linux.Namespaces;

/// <summary>A path given as a network namespace that names something else (a FIFO, a file, a directory, a device, another kind of namespace); nothing was done with it.</summary>
public sealed class NotANetworkNamespaceException(string path, string kind)
    : LinuxException($"opening netns {path}", Errno.EINVAL, $"it is {kind}, not a network namespace")
{
    public string Path => path;

    /// <summary>What it is instead (<c>a FIFO</c>, <c>a regular file</c>, <c>a mount namespace</c>, …).</summary>
    public string Kind => kind;
}
