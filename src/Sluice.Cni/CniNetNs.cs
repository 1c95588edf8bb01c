using Sluice.Linux;
using Sluice.Linux.Interop;
using Sluice.Linux.Namespaces;

namespace Sluice.Cni;

/// <summary>
/// <c>CNI_NETNS</c>, opened for a command. Anything that is not a network namespace (a FIFO, a
/// regular file, a directory, a device, a link to one of them) is refused with error 4 naming the
/// variable before it is used; a FIFO never blocks the plugin (<see cref="NetNs.Open"/>).
/// </summary>
public static class CniNetNs
{
    public static NetNs Open(string path, NetNsEntry entry = NetNsEntry.Worker)
    {
        try
        {
            return NetNs.Open(path, entry);
        }
        catch (LinuxException error)
        {
            throw Refused(path, error);
        }
    }

    /// <summary>For DEL: null when no namespace can be at the path (ENOENT, ENOTDIR, ENAMETOOLONG), else as <see cref="Open"/>.</summary>
    public static NetNs? OpenUnlessGone(string path, NetNsEntry entry = NetNsEntry.Worker)
    {
        try
        {
            return NetNs.Open(path, entry);
        }
        catch (LinuxException error) when (error is not NotANetworkNamespaceException && error.ErrorNumber is Errno.ENOENT or Errno.ENOTDIR or Errno.ENAMETOOLONG)
        {
            return null;
        }
        catch (LinuxException error)
        {
            throw Refused(path, error);
        }
    }

    private static CniException Refused(string path, LinuxException error) => error is NotANetworkNamespaceException not
        ? new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS '{path}' is not a network namespace: it is {not.Kind}")
        : new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS '{path}' cannot be opened: {Errno.Describe(error.ErrorNumber)} ({error.ErrorName})");
}
