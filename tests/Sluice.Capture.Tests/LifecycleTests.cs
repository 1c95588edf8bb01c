using Sluice.Capture.Policy;
using Sluice.Capture.Tests.Lab;
using static Sluice.Capture.Tests.Lab.CaptureLab;

namespace Sluice.Capture.Tests;

/// <summary>
/// Applying is idempotent, cleanup puts the namespace back as it was, other software's rules
/// survive both, tampering is seen and repaired, and a change of backend leaves one copy.
/// Every test compares whole-namespace snapshots (nftables, both iptables variants, policy
/// routing, routes, loopback addresses), so anything stray shows up.
/// </summary>
public sealed class LifecycleTests
{
    /// <summary>Istio with TPROXY inbound and DNS capture: every kind of rule and the routing.</summary>
    private static readonly CapturePolicy Everything = CapturePresets.Istio with { InboundMode = InboundMode.Tproxy, DnsPort = 15053 };

    public static TheoryData<string> AllBackends => Backends.All;

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Apply_SamePolicyAgain_ChangesNothing(string backend)
    {
        using var lab = new CaptureLab();
        Assert.True(lab.Apply(Everything, backend).Changed);
        var applied = NamespaceSnapshot.Take(lab.PodNs);

        var again = lab.Apply(Everything, backend);

        Assert.False(again.Changed);
        Assert.Empty(again.Cleared);
        Assert.Equal(applied, NamespaceSnapshot.Take(lab.PodNs));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Apply_WildcardInterfaces_InstallsThemAndVerifyFindsNoDifference(string backend)
    {
        // Apply reads back what it wrote and fails (undoing it) on any difference, so a wildcard
        // that one backend wrote differently from how it reads it back would fail here.
        using var lab = new CaptureLab();
        var policy = Everything with { ExcludeInterfaces = ["veth+", "eth9"], RerouteInterfaces = ["kv+"] };
        Assert.True(lab.Apply(policy, backend).Changed);
        var (kind, variant) = Backends.Parse(backend);
        using var engine = lab.Engine(kind, variant);
        Assert.Empty(engine.Verify(policy));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Remove_AfterApply_PutsTheNamespaceBackAsItWas(string backend)
    {
        using var lab = new CaptureLab();
        var before = NamespaceSnapshot.Take(lab.PodNs);
        lab.Apply(Everything, backend);
        Assert.NotEqual(before, NamespaceSnapshot.Take(lab.PodNs));

        using var engine = lab.Engine(backend);
        var removed = engine.Remove(Everything);

        Assert.Equal([engine.Backend, "routing"], removed);
        Assert.Equal(before, NamespaceSnapshot.Take(lab.PodNs));
        Assert.Empty(engine.Remove(Everything));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void ApplyAndRemove_ForeignRulesPresent_KeepThemAndCaptureComesFirst(string backend)
    {
        using var lab = new CaptureLab();
        var tool = backend == "iptables-legacy" ? "iptables-legacy" : "iptables-nft";
        lab.PodNs.Exec(tool, "-t", "nat", "-A", "OUTPUT", "-p", "tcp", "--dport", "9999", "-j", "ACCEPT");
        lab.PodNs.Exec(tool, "-t", "mangle", "-A", "PREROUTING", "-p", "udp", "-j", "ACCEPT");
        lab.PodNs.Exec("nft", "add table inet foreign; add chain inet foreign out { type filter hook output priority 0; }; add rule inet foreign out tcp dport 7 counter");
        var before = NamespaceSnapshot.Take(lab.PodNs);

        lab.Apply(Everything, backend);

        Assert.Equal(Landed("proxy-out", RemoteV4, 80), lab.FromPod(RemoteV4, 80));
        Assert.Equal(Landed("proxy-out", RemoteV4, 9999), lab.FromPod(RemoteV4, 9999));
        if (backend != "nftables")
        {
            var output = lab.PodNs.Exec(tool, "-t", "nat", "-S", "OUTPUT").Split('\n').Where(l => l.StartsWith("-A", StringComparison.Ordinal)).ToList();
            Assert.Equal(["-A OUTPUT -j SLUICE_OUTPUT", "-A OUTPUT -p tcp -m tcp --dport 9999 -j ACCEPT"], output);
        }

        Assert.Contains("tcp dport 7 counter", lab.PodNs.Exec("nft", "list", "table", "inet", "foreign"), StringComparison.Ordinal);

        using (var engine = lab.Engine(backend))
        {
            engine.Remove(Everything);
        }

        Assert.Equal(before, NamespaceSnapshot.Take(lab.PodNs));
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Verify_AfterTampering_ReportsItAndApplyAgainRepairsIt(string backend)
    {
        using var lab = new CaptureLab();
        lab.Apply(Everything, backend);
        using var engine = lab.Engine(backend);
        Assert.Empty(engine.Verify(Everything));

        if (backend == "nftables")
        {
            lab.PodNs.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");
        }
        else
        {
            lab.PodNs.Exec(backend, "-t", "nat", "-F", "SLUICE_OUTPUT");
        }

        lab.PodNs.Exec("ip", "-4", "rule", "del", "priority", "32000");
        Assert.Equal(Landed("peer", RemoteV4, 80), lab.FromPod(RemoteV4, 80));

        var problems = engine.Verify(Everything);
        Assert.Contains(problems, p => p.Contains(backend == "nftables" ? "nat_output" : "SLUICE_OUTPUT", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("32000", StringComparison.Ordinal) || p.Contains("fwmark", StringComparison.Ordinal));

        Assert.True(engine.Apply(Everything).Changed);
        Assert.Empty(engine.Verify(Everything));
        Assert.Equal(Landed("proxy-out", RemoteV4, 80), lab.FromPod(RemoteV4, 80));
    }

    [RootTheory]
    [InlineData("nftables", "iptables-legacy")]
    [InlineData("iptables-legacy", "nftables")]
    [InlineData("iptables-nft", "iptables-legacy")]
    [InlineData("iptables-legacy", "iptables-nft")]
    public void Apply_WithAnotherBackend_RemovesThePreviousBackendsRules(string from, string to)
    {
        using var lab = new CaptureLab();
        lab.Apply(Everything, from);
        var installedByTo = Installed(to);

        var outcome = lab.Apply(Everything, to);

        Assert.True(outcome.Changed);
        Assert.Equal([from], outcome.Cleared);
        Assert.Equal(installedByTo, NamespaceSnapshot.Take(lab.PodNs));
        using var engine = lab.Engine(to);
        Assert.Empty(engine.Verify(Everything));
        Assert.Equal(Landed("proxy-out", RemoteV6, 80), lab.FromPod(RemoteV6, 80));
    }

    [RootTheory]
    [InlineData("iptables-nft")]
    [InlineData("iptables-legacy")]
    public void Apply_IptablesBackend_RestoresAndReadsBackPerFamilyAndOnlyReadsWhenUnchanged(string backend)
    {
        using var lab = new CaptureLab();
        using (var fresh = lab.Engine(backend))
        {
            // One iptables-restore per family, then one iptables-save per family to read the rules back.
            Assert.True(fresh.Apply(Everything).Changed);
            Assert.Equal(4, fresh.Executions);
        }

        using var again = lab.Engine(backend);
        Assert.False(again.Apply(Everything).Changed);
        Assert.Equal(2, again.Executions);
    }

    [RootTheory]
    [MemberData(nameof(AllBackends))]
    public void Render_ScriptInstalledByTheTools_MatchesWhatTheEngineInstalls(string backend)
    {
        var (kind, _) = Backends.Parse(backend);
        var text = CaptureEngine.Render(Everything, kind);
        string byEngine;
        using (var lab = new CaptureLab())
        {
            lab.Apply(Everything, backend);
            byEngine = Filters(lab.PodNs);
        }

        using var scripted = new CaptureLab();
        using var scripts = new TempDirectory();
        if (backend == "nftables")
        {
            scripted.PodNs.Exec("nft", "-f", Write(scripts, text));
        }
        else
        {
            var v6 = text.IndexOf("# ip6tables-restore", StringComparison.Ordinal);
            scripted.PodNs.Exec($"{backend}-restore", "--noflush", Write(scripts, text[..v6]));
            scripted.PodNs.Exec($"{backend.Replace("iptables", "ip6tables", StringComparison.Ordinal)}-restore", "--noflush", Write(scripts, text[v6..]));
        }

        Assert.Equal(byEngine, Filters(scripted.PodNs));
    }

    /// <summary>The snapshot of a namespace where only <paramref name="backend"/> ever applied <see cref="Everything"/>.</summary>
    private static string Installed(string backend)
    {
        using var lab = new CaptureLab();
        lab.Apply(Everything, backend);
        return NamespaceSnapshot.Take(lab.PodNs);
    }

    /// <summary>The packet-filter part of a snapshot (routing is not in a dry run's script).</summary>
    private static string Filters(TestNetns ns)
    {
        var snapshot = NamespaceSnapshot.Take(ns);
        return snapshot[..snapshot.IndexOf("== rules", StringComparison.Ordinal)];
    }

    private static string Write(TempDirectory directory, string text)
    {
        var path = Path.Combine(directory.Path, $"script-{Guid.NewGuid():N}");
        File.WriteAllText(path, text);
        return path;
    }
}
