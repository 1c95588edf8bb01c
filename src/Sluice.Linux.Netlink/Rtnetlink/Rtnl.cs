using System.Net.Sockets;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Netlink;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// rtnetlink (NETLINK_ROUTE) for one network namespace: links, addresses, routes, neighbours and
/// rules. The socket is opened inside the namespace, so after opening every call works from any
/// thread without entering it. Each method names its <c>ip</c> equivalent. Errors name the
/// operation, the object and the namespace: <c>creating veth veth1a2b3c4d in netns
/// /var/run/netns/pod1: File exists (EEXIST)</c>.
/// </summary>
public sealed partial class Rtnl : IDisposable
{
    private readonly NetlinkSocket _socket;

    private Rtnl(NetlinkSocket socket) => _socket = socket;

    /// <summary>"host netns" or "netns /var/run/netns/pod1", as errors name it.</summary>
    public string Location => _socket.Location;

    /// <summary>rtnetlink for the calling thread's namespace.</summary>
    public static Rtnl Open(string location = "host netns") =>
        new(NetlinkSocket.Open(NetlinkConstants.NETLINK_ROUTE, location));

    /// <summary>rtnetlink for <paramref name="ns"/>: the socket is created inside it on a dedicated thread.</summary>
    public static Rtnl OpenIn(NetNs ns)
    {
        ArgumentNullException.ThrowIfNull(ns);
        return ns.Run(() => Open(ns.Description));
    }

    public void Dispose() => _socket.Dispose();

    private string In(string what) => $"{what} in {Location}";

    private static byte FamilyOf(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => Interop.Libc.AF_INET,
        AddressFamily.InterNetworkV6 => Interop.Libc.AF_INET6,
        _ => Interop.Libc.AF_UNSPEC,
    };

    private static AddressFamily FamilyFrom(byte family) => family switch
    {
        Interop.Libc.AF_INET => AddressFamily.InterNetwork,
        Interop.Libc.AF_INET6 => AddressFamily.InterNetworkV6,
        _ => AddressFamily.Unspecified,
    };
}
