using System.Net;
using Sluice.Linux.Rtnetlink;

namespace Sluice.TestSupport.Cluster;

/// <summary>
/// Two nodes joined by a veth (their underlay, 10.77.0.0/24 and fd77::/64), one fake API server
/// reachable from both at https://127.0.0.1:PORT serving their Node objects, and a sluice-agent
/// per node in primary-network mode. No route is typed by hand: the agents program them.
/// </summary>
public sealed class TwoNodeCluster : IDisposable
{
    public const string ClusterCidrs = "10.246.0.0/16,fd46::/32";

    private readonly TempDirectory _dir = new("two-nodes");

    public TwoNodeCluster()
    {
        A = new ClusterNode("node-a");
        B = new ClusterNode("node-b");
        using (var rtnl = Rtnl.OpenIn(A.NetNs))
        {
            rtnl.CreateVeth("ul0", "ul0", B.NetNs);
        }

        A.AddressUnderlay("10.77.0.1", "fd77::1");
        B.AddressUnderlay("10.77.0.2", "fd77::2");
        Api = FakeKubeApi.StartAsync([A.NetNs, B.NetNs]).GetAwaiter().GetResult();
        Api.SetNode("node-a", NodeA);
        Api.SetNode("node-b", NodeB);
        Kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
    }

    public static string NodeA => SampleNodes.Node("node-a", ["10.246.1.0/24", "fd46:0:0:1::/64"], ["10.77.0.1", "fd77::1"]);

    public static string NodeB => SampleNodes.Node("node-b", ["10.246.2.0/24", "fd46:0:0:2::/64"], ["10.77.0.2", "fd77::2"]);

    public ClusterNode A { get; }

    public ClusterNode B { get; }

    public FakeKubeApi Api { get; }

    public string Kubeconfig { get; }

    /// <summary>Starts both agents and waits until each wrote its conflist and its two routes to the other node.</summary>
    public void StartAgents(params (string Key, string Value)[] settings)
    {
        A.StartAgent(Kubeconfig, ClusterCidrs, settings);
        B.StartAgent(Kubeconfig, ClusterCidrs, settings);
        A.WaitForConflist();
        B.WaitForConflist();
        A.Wait(() => A.SluiceRoutes().Count == 2, "node-a programmed no routes to node-b's pods");
        B.Wait(() => B.SluiceRoutes().Count == 2, "node-b programmed no routes to node-a's pods");
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
        Api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
