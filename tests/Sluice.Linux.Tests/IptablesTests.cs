using System.Net.Sockets;
using Sluice.Linux.Iptables;

namespace Sluice.Linux.Tests;

public sealed class IptablesTests
{
    [RootTheory]
    [InlineData(IptablesVariant.Nft)]
    [InlineData(IptablesVariant.Legacy)]
    public void RestoreAndSave_RunInsideTheNamespace(IptablesVariant variant)
    {
        using var test = TestNetns.Create("ipt");
        using var ns = test.Open();
        var iptables = new Iptables.Iptables(variant, ns);
        iptables.Restore(AddressFamily.InterNetwork, "*nat\n:SLUICE-TEST - [0:0]\n-A SLUICE-TEST -d 10.0.0.0/8 -j RETURN\nCOMMIT\n");
        var save = IptablesSave.Parse(iptables.Save(AddressFamily.InterNetwork, "nat"));
        Assert.True(save.HasChain("nat", "SLUICE-TEST"));
        Assert.Equal(["-d 10.0.0.0/8 -j RETURN"], save.Rules("nat", "SLUICE-TEST"));
        Assert.Equal(2, iptables.Executions);

        // The host saw none of it.
        var host = new Iptables.Iptables(variant).Save(AddressFamily.InterNetwork, "nat");
        Assert.DoesNotContain("SLUICE-TEST", host, StringComparison.Ordinal);
    }

    [RootFact]
    public void Restore_WithBadInput_ThrowsTheToolsMessage()
    {
        using var test = TestNetns.Create("iptbad");
        using var ns = test.Open();
        var error = Assert.Throws<IptablesException>(() => new Iptables.Iptables(IptablesVariant.Nft, ns).Restore(AddressFamily.InterNetwork, "*nat\n-A NOPE -j ACCEPT\nCOMMIT\n"));
        Assert.Contains("iptables-nft-restore --noflush --wait 10 exited with", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Detect_PrefersTheVariantHoldingRulesThenNft()
    {
        using var test = TestNetns.Create("iptdet");
        using var ns = test.Open();
        Assert.Equal(IptablesVariant.Nft, IptablesDetector.Detect(ns).Variant);
        test.Exec("iptables-legacy", "-t", "nat", "-N", "SOMEONE");
        var legacy = IptablesDetector.Detect(ns);
        Assert.Equal(IptablesVariant.Legacy, legacy.Variant);
        Assert.Contains("nat", legacy.Reason, StringComparison.Ordinal);
        Assert.Equal(IptablesVariant.Nft, IptablesDetector.Detect(ns, IptablesVariant.Nft, "--iptables-mode").Variant);

        using var other = TestNetns.Create("iptdet2");
        using var otherNs = other.Open();
        other.Exec("iptables-nft", "-A", "FORWARD", "-j", "ACCEPT");
        var nft = IptablesDetector.Detect(otherNs);
        Assert.Equal((IptablesVariant.Nft, true), (nft.Variant, nft.Reason.Contains("ip filter", StringComparison.Ordinal)));
    }

    [RootFact]
    public void Detect_WithAnEmptyButRegisteredLegacyTable_PicksNft()
    {
        // Listing a legacy table registers it in the namespace, empty: that is no reason to write legacy rules.
        using var test = TestNetns.Create("iptempty");
        using var ns = test.Open();
        test.Exec("iptables-legacy", "-t", "nat", "-L", "-n");
        test.Exec("ip6tables-legacy", "-L", "-n");
        Assert.Contains("nat", ns.Run(() => LegacyTables.RegisteredNames(AddressFamily.InterNetwork)));

        var choice = IptablesDetector.Detect(ns);

        Assert.Equal((IptablesVariant.Nft, false), (choice.Variant, choice.HoldsRules));
    }

    [RootFact]
    public void Detect_WhenBothHoldRules_PicksTheVariantHoldingMore()
    {
        using var test = TestNetns.Create("iptboth");
        using var ns = test.Open();
        test.Exec("iptables-legacy", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT");
        test.Exec("iptables-nft", "-A", "INPUT", "-s", "192.0.2.1", "-j", "ACCEPT");
        test.Exec("iptables-nft", "-A", "INPUT", "-s", "192.0.2.2", "-j", "ACCEPT");
        Assert.Equal(IptablesVariant.Nft, IptablesDetector.Detect(ns).Variant);

        test.Exec("iptables-legacy", "-N", "KUBE-IPTABLES-HINT", "-t", "mangle");
        test.Exec("iptables-legacy", "-P", "FORWARD", "DROP");
        var legacy = IptablesDetector.Detect(ns);
        Assert.Equal((IptablesVariant.Legacy, true), (legacy.Variant, legacy.HoldsRules));
    }

    [RootFact]
    public void LegacyTables_CountWhatIptablesSaveWouldPrint()
    {
        using var test = TestNetns.Create("iptread");
        using var ns = test.Open();
        Assert.Empty(ns.Run(LegacyTables.ReadAll));
        test.Exec("iptables-legacy", "-t", "nat", "-L", "-n");
        test.Exec("iptables-legacy", "-N", "SOMEONE");
        test.Exec("iptables-legacy", "-N", "EMPTY");
        test.Exec("iptables-legacy", "-A", "SOMEONE", "-s", "198.51.100.0/24", "-j", "ACCEPT");
        test.Exec("iptables-legacy", "-A", "SOMEONE", "-j", "RETURN");
        test.Exec("iptables-legacy", "-A", "INPUT", "-j", "SOMEONE");
        test.Exec("iptables-legacy", "-P", "FORWARD", "DROP");
        test.Exec("ip6tables-legacy", "-A", "OUTPUT", "-d", "2001:db8::1", "-j", "ACCEPT");

        var tables = ns.Run(LegacyTables.ReadAll).ToDictionary(t => $"{t.Family} {t.Name}");

        Assert.Equal(0, tables["InterNetwork nat"].Content);
        var filter = tables["InterNetwork filter"];
        Assert.Equal("3 rules; chains EMPTY SOMEONE; DROP on FORWARD", $"{filter.Rules} rules; chains {string.Join(' ', filter.UserChains.Order(StringComparer.Ordinal))}; DROP on {string.Join(' ', filter.DropPolicies)}");
        var filter6 = tables["InterNetworkV6 filter"];
        Assert.Equal((1, 0, 0), (filter6.Rules, filter6.UserChains.Count, filter6.DropPolicies.Count));
    }

    [Fact]
    public void SaveParser_ReadsChainsPoliciesAndRules()
    {
        var save = IptablesSave.Parse("# x\n*filter\n:FORWARD DROP [0:0]\n:SLUICE-FORWARD - [0:0]\n-A FORWARD -j SLUICE-FORWARD\n-A SLUICE-FORWARD -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n");
        Assert.Equal("DROP", save.Policy("filter", "FORWARD"));
        Assert.True(save.HasChain("filter", "SLUICE-FORWARD"));
        Assert.Equal(["-j SLUICE-FORWARD"], save.Rules("filter", "FORWARD"));
        Assert.Empty(save.Rules("nat"));
    }
}
