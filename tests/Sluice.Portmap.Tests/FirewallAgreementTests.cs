using Sluice.Portmap.Tests.Lab;

namespace Sluice.Portmap.Tests;

/// <summary>
/// One firewall per node: sluice-bridge and sluice-portmap take the same decision, from the rules
/// actually present. A legacy table that something merely listed (registered, empty) is no reason
/// to write legacy rules; legacy rules are.
/// </summary>
public sealed class FirewallAgreementTests
{
    private const string WebMapping = """[{"hostPort":8080,"containerPort":80}]""";

    [RootFact]
    public void BridgeAndPortmap_WithAnEmptyButRegisteredLegacyTable_BothUseNftables()
    {
        using var node = new PortmapNode();
        node.Node.Exec("iptables-legacy", "-t", "nat", "-L", "-n");
        node.Node.Exec("iptables-legacy", "-L", "-n");
        Assert.Contains("nat", node.Node.Exec("cat", "/proc/net/ip_tables_names"), StringComparison.Ordinal);

        node.AddPod("web", "ctr-web", WebMapping);

        var rules = node.Ruleset();
        Assert.Contains("table inet sluice_bridge", rules, StringComparison.Ordinal);
        Assert.Contains("table inet sluice_portmap", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("SLUICE-", node.Node.TryExec("iptables-legacy-save").Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void BridgeAndPortmap_WithLegacyRulesOnTheNode_BothUseIptablesLegacy()
    {
        using var node = new PortmapNode();
        node.Node.Exec("iptables-legacy", "-A", "INPUT", "-s", "198.51.100.1", "-j", "DROP");

        node.AddPod("web", "ctr-web", WebMapping);

        var legacy = node.Node.TryExec("iptables-legacy-save").Stdout;
        Assert.Contains("-j SLUICE-POSTROUTING", legacy, StringComparison.Ordinal);
        Assert.Contains("-j SLUICE-HOSTPORTS", legacy, StringComparison.Ordinal);
        Assert.DoesNotContain("sluice", node.Node.Exec("nft", "list", "ruleset"), StringComparison.Ordinal);
    }

    [RootFact]
    public void BridgeAndPortmap_WithSluicesChainInIptablesNft_BothFollowIt()
    {
        using var node = new PortmapNode();
        // Sluice's bridge chain is already in iptables-nft (say, from an earlier configuration): auto follows it, for both plugins.
        node.Node.Exec("iptables-nft", "-t", "nat", "-N", "SLUICE-POSTROUTING");
        var pod = node.NewPod("web", "ctr-web");

        var add = node.Portmap("ADD", pod, WebMapping);

        Assert.True(add.ExitCode == 0, add.ToString());
        var nat = node.Node.Exec("iptables-nft-save", "-t", "nat");
        Assert.Contains("-j SLUICE-HOSTPORTS", nat, StringComparison.Ordinal);
        Assert.Contains("-j SLUICE-MASQ-", nat, StringComparison.Ordinal);
        Assert.DoesNotContain("sluice", node.Node.Exec("nft", "list", "tables"), StringComparison.Ordinal);
    }
}
