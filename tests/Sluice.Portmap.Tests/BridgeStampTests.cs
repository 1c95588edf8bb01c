using Sluice.Firewall;
using Sluice.Linux.Nftables;
using Sluice.Portmap.Tests.Lab;

namespace Sluice.Portmap.Tests;

/// <summary>
/// sluice-portmap's commits and sluice-bridge's firewall stamp (docs/bridge.md, "Firewall"): a
/// commit to the portmap table alone carries the stamp over, so the next bridge ADD reads nothing;
/// any other commit in between still makes it read its rules in full.
/// </summary>
public sealed class BridgeStampTests
{
    private const string Mapping = """[{"hostPort":8080,"containerPort":80}]""";

    [RootFact]
    public void BridgeAdd_AfterAPortmapCommitAlone_TrustsItsStamp_AndAfterAnyOtherCommitReadsInFull()
    {
        using var logs = new TempDirectory("sluice-carry");
        var log = logs.Combine("bridge.log");
        using var node = new PortmapNode("nftables", network: "carrynet", bridgeExtra: $",\"logLevel\":\"debug\",\"logFile\":\"{log}\"");
        string LogOf(string container) => string.Join('\n', File.ReadAllLines(log).Where(l => l.Contains($"container={container} ", StringComparison.Ordinal)));

        node.AddPod("first", "ctr-1", Mapping);
        node.AddPod("second", "ctr-2", """[{"hostPort":8081,"containerPort":80}]""");
        node.AddPod("third", "ctr-3", """[{"hostPort":8082,"containerPort":80}]""");

        Assert.Contains("updated the firewall rules of carrynet", LogOf("ctr-1"), StringComparison.Ordinal);
        Assert.Contains("firewall rules of carrynet verified at nftables generation", LogOf("ctr-2"), StringComparison.Ordinal);
        Assert.DoesNotContain("unchanged since", LogOf("ctr-2"), StringComparison.Ordinal);
        // The third pod's ADD comes after the second pod's hostPort rules were committed.
        Assert.Contains("unchanged since", LogOf("ctr-3"), StringComparison.Ordinal);

        // Someone else's commit between portmap's and the next ADD: no carrying over that.
        node.Node.Exec("nft", "add", "table", "inet", "someone_else");
        node.AddPod("fourth", "ctr-4", """[{"hostPort":8083,"containerPort":80}]""");
        node.AddPod("fifth", "ctr-5", """[{"hostPort":8084,"containerPort":80}]""");

        Assert.DoesNotContain("unchanged since", LogOf("ctr-4"), StringComparison.Ordinal);
        Assert.Contains("firewall rules of carrynet verified at nftables generation", LogOf("ctr-4"), StringComparison.Ordinal);
        Assert.Contains("unchanged since", LogOf("ctr-5"), StringComparison.Ordinal);
    }

    /// <summary>
    /// A test node's stamps go with its namespace (TestNetns): a stamp of a namespace that is gone
    /// can never match again, and each one left would lengthen every later carry's listing.
    /// </summary>
    [RootFact]
    public void NodeNamespaceRemoved_ItsStampsGoWithIt()
    {
        ulong cookie;
        using (var node = new PortmapNode("nftables", network: "gonenet"))
        {
            node.AddPod("first", "ctr-1", Mapping);
            node.AddPod("second", "ctr-2", """[{"hostPort":8081,"containerPort":80}]""");
            cookie = node.NodeNs.Run(() =>
            {
                using var nft = Nftables.Open();
                return nft.NamespaceCookie();
            }) ?? throw new InvalidOperationException("no namespace cookie");
            Assert.NotEmpty(NftVerifiedStamps.PathsOf(cookie));
        }

        Assert.Empty(NftVerifiedStamps.PathsOf(cookie));
    }
}
