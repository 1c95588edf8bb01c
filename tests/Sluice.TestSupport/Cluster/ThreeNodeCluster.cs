using System.Net;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;

namespace Sluice.TestSupport.Cluster;

/// <summary>
/// Three nodes, two of them on one subnet and the third behind a router: node-a (10.77.0.1,
/// fd77::1) and node-b (10.77.0.2, fd77::2) hang off a bridge in a router namespace, node-c
/// (10.78.0.3, fd78::3) off the router's other side; every node's default route goes via the
/// router. One fake API server serves the three Node objects; each node runs sluice-agent in
/// primary-network mode. No route to pods is typed by hand: the agents program them.
/// </summary>
public sealed class ThreeNodeCluster : IDisposable
{
    public const string ClusterCidrs = "10.246.0.0/16,fd46::/32";

    private readonly TempDirectory _dir = new("three-nodes");
    private readonly TestNetns _routerNs;

    public ThreeNodeCluster()
    {
        A = new ClusterNode("node-a");
        B = new ClusterNode("node-b");
        C = new ClusterNode("node-c");
        _routerNs = TestNetns.Create("crouter");
        Router = _routerNs.Open();
        using (var rtnl = Rtnl.OpenIn(Router))
        {
            // Before any link exists: a fresh link's link-local address stays tentative for a second
            // or two, and until then the router sends no neighbour solicitation for what it forwards.
            Sluice.Linux.Sysctl.Sysctl.Write(Router, "net/ipv6/conf/all/accept_dad", "0");
            Sluice.Linux.Sysctl.Sysctl.Write(Router, "net/ipv6/conf/default/accept_dad", "0");
            rtnl.SetUp(rtnl.GetLink("lo").Index);
            rtnl.CreateBridge("lan0");
            var lan = rtnl.GetLink("lan0");
            foreach (var (node, port) in new[] { (A, "pa"), (B, "pb"), (C, "pc") })
            {
                rtnl.CreateVeth(port, "ul0", node.NetNs);
                var link = rtnl.GetLink(port);
                if (node != C)
                {
                    rtnl.SetMaster(link.Index, lan.Index);
                }

                rtnl.SetUp(link.Index);
            }

            rtnl.AddAddress(lan.Index, IPAddress.Parse("10.77.0.254"), 24);
            rtnl.AddAddress(lan.Index, IPAddress.Parse("fd77::fe"), 64, AddressFlags.NoDad);
            rtnl.SetUp(lan.Index);
            var toC = rtnl.GetLink("pc");
            rtnl.AddAddress(toC.Index, IPAddress.Parse("10.78.0.254"), 24);
            rtnl.AddAddress(toC.Index, IPAddress.Parse("fd78::fe"), 64, AddressFlags.NoDad);
            Sluice.Linux.Sysctl.Sysctl.Write(Router, "net/ipv4/ip_forward", "1");
            Sluice.Linux.Sysctl.Sysctl.Write(Router, "net/ipv6/conf/all/forwarding", "1");
        }

        A.AddressUnderlay("10.77.0.1", "fd77::1", "10.77.0.254", "fd77::fe");
        B.AddressUnderlay("10.77.0.2", "fd77::2", "10.77.0.254", "fd77::fe");
        C.AddressUnderlay("10.78.0.3", "fd78::3", "10.78.0.254", "fd78::fe");
        Api = FakeKubeApi.StartAsync([A.NetNs, B.NetNs, C.NetNs]).GetAwaiter().GetResult();
        Api.SetNode("node-a", NodeA);
        Api.SetNode("node-b", NodeB);
        Api.SetNode("node-c", NodeC);
        Kubeconfig = Api.WriteKubeconfig(_dir.Combine("kubeconfig"));
    }

    public static string NodeA => SampleNodes.Node("node-a", ["10.246.1.0/24", "fd46:0:0:1::/64"], ["10.77.0.1", "fd77::1"]);

    public static string NodeB => SampleNodes.Node("node-b", ["10.246.2.0/24", "fd46:0:0:2::/64"], ["10.77.0.2", "fd77::2"]);

    public static string NodeC => SampleNodes.Node("node-c", ["10.246.3.0/24", "fd46:0:0:3::/64"], ["10.78.0.3", "fd78::3"]);

    public ClusterNode A { get; }

    public ClusterNode B { get; }

    public ClusterNode C { get; }

    public IReadOnlyList<ClusterNode> Nodes => [A, B, C];

    /// <summary>The router between the two subnets (its /proc/net/snmp counts what it forwarded).</summary>
    public NetNs Router { get; }

    public FakeKubeApi Api { get; }

    public string Kubeconfig { get; }

    /// <summary>Starts the three agents with <paramref name="settings"/> and waits until each wrote its conflist.</summary>
    public void StartAgents(params (string Key, string Value)[] settings)
    {
        foreach (var node in Nodes)
        {
            node.StartAgent(Kubeconfig, ClusterCidrs, settings);
        }

        foreach (var node in Nodes)
        {
            node.WaitForConflist();
        }
    }

    public void Dispose()
    {
        foreach (var node in Nodes)
        {
            node.Dispose();
        }

        Router.Dispose();
        _routerNs.Dispose();
        Api.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _dir.Dispose();
    }
}
