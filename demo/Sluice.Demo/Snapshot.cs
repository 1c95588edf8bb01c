namespace Sluice.Demo;

/// <summary>What the demo must leave as it found it: the host's links and routes, and no namespace of its own.</summary>
internal sealed record Snapshot(string OwnNamespaces, string Links, string Routes)
{
    public static Snapshot Take()
    {
        using var rtnl = Sluice.Linux.Rtnetlink.Rtnl.Open();
        return new Snapshot(
            string.Join(",", Sluice.TestSupport.TestNetns.Leftovers().Order(StringComparer.Ordinal)),
            string.Join(",", rtnl.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal)),
            string.Join(",", new[] { System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.AddressFamily.InterNetworkV6 }.SelectMany(f => rtnl.ListRoutes(f)).Select(r => r.ToString()).Order(StringComparer.Ordinal)));
    }
}
