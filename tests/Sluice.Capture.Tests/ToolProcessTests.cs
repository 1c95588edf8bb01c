using Sluice.Capture.Tests.Lab;
using static Sluice.Capture.Tests.Lab.CaptureLab;

namespace Sluice.Capture.Tests;

/// <summary>The published sluice-iptables binary, run as an operator or an init container would run it.</summary>
public sealed class ToolProcessTests
{
    private static readonly string[] Tproxy = ["--profile", "istio", "-m", "TPROXY", "--redirect-dns"];

    [RootTheory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void SluiceIptables_ApplyTamperCleanup_VerifyExits3AndCleanupRestoresNamespace(string backend)
    {
        using var lab = new CaptureLab();
        var before = NamespaceSnapshot.Take(lab.PodNs);

        var apply = Tool(lab, [.. Tproxy, "--backend", backend]);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("capture applied in netns", apply.Stdout, StringComparison.Ordinal);
        Assert.Equal(Landed("proxy-out", RemoteV4, 80), lab.FromPod(RemoteV4, 80));

        var verify = Tool(lab, [.. Tproxy, "--backend", backend, "--verify"]);
        Assert.True(verify.ExitCode == 0, verify.ToString());

        lab.PodNs.Exec("ip", "-6", "rule", "del", "priority", "32000");
        var tampered = Tool(lab, [.. Tproxy, "--backend", backend, "--verify"]);
        Assert.Equal(3, tampered.ExitCode);
        Assert.Contains("differs from the policy", tampered.Stdout, StringComparison.Ordinal);

        var cleanup = Tool(lab, [.. Tproxy, "--backend", backend, "--cleanup-only"]);
        Assert.True(cleanup.ExitCode == 0, cleanup.ToString());
        Assert.Equal(before, NamespaceSnapshot.Take(lab.PodNs));
    }

    [RootTheory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void Validate_ExitsWith126WhileThePodsCaptureIsMissing_And0OnceItIsInPlace(string backend)
    {
        using var lab = new CaptureLab();

        // Istio's validation command line, as an injector writes it for its init container.
        var missing = Tool(lab, ["--profile", "istio", "--backend", backend, "--run-validation", "--skip-rule-apply"]);
        Assert.True(missing.ExitCode == 126, missing.ToString());
        Assert.Contains("differs from the policy", missing.Stdout, StringComparison.Ordinal);

        Assert.Equal(0, Tool(lab, ["--profile", "istio", "--backend", backend]).ExitCode);
        var valid = Tool(lab, ["--profile", "istio", "--backend", backend, "--validate"]);
        Assert.True(valid.ExitCode == 0, valid.ToString());
        Assert.Contains("capture in place", valid.Stdout, StringComparison.Ordinal);
    }

    [RootFact]
    public void Verify_OfAFlushedNftablesChain_SaysEveryWantedRuleIsMissing()
    {
        using var lab = new CaptureLab();
        Assert.Equal(0, Tool(lab, ["--profile", "istio", "--backend", "nft"]).ExitCode);

        lab.PodNs.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");
        var verify = Tool(lab, ["--profile", "istio", "--backend", "nft", "--verify"]);

        Assert.Equal(3, verify.ExitCode);
        Assert.Matches(@"nftables chain nat_output is empty: all \d+ wanted rules are missing", verify.Stdout);
        Assert.DoesNotContain("that differ from", verify.Stdout, StringComparison.Ordinal);
    }

    [RootTheory]
    [InlineData("-p", "70000")]
    [InlineData("-b", "http")]
    [InlineData("-i", "10.0.0.1/8")]
    [InlineData("-m", "DIVERT")]
    public void SluiceIptables_InvalidValue_Exits2NamingFlagAndValueAndTouchesNothing(string flag, string value)
    {
        using var lab = new CaptureLab();
        var before = NamespaceSnapshot.Take(lab.PodNs);

        var result = Tool(lab, ["--profile", "istio", flag, value]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(flag, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(value, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
        Assert.Equal(before, NamespaceSnapshot.Take(lab.PodNs));
    }

    [RootFact]
    public void SluiceIptables_ApplyFailingInTheKernel_Exits1AndRemovesWhatItInstalled()
    {
        using var lab = new CaptureLab();
        // A base chain iptables-nft cannot take over (its own PREROUTING of ip6 mangle, at another
        // priority): the IPv4 restore succeeds, the IPv6 one fails in the kernel, after it.
        lab.PodNs.Exec("nft", "add table ip6 mangle");
        lab.PodNs.Exec("nft", "add chain ip6 mangle PREROUTING { type filter hook prerouting priority 10; policy accept; }");
        lab.PodNs.Exec("nft", "add rule ip6 mangle PREROUTING meta l4proto tcp limit rate 1/second counter");
        var before = NamespaceSnapshot.Take(lab.PodNs);

        var result = Tool(lab, ["--profile", "istio", "-m", "TPROXY", "--backend", "iptables", "--iptables-variant", "nft"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ip6tables-nft-restore", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, NamespaceSnapshot.Take(lab.PodNs));
        Assert.Equal(Landed("peer", RemoteV4, 80), lab.FromPod(RemoteV4, 80));
    }

    [RootFact]
    public void SluiceIptables_FakeToolOnCallersPathAndWorkingDirectory_IsNotRun()
    {
        using var lab = new CaptureLab();
        using var fakes = new TempDirectory();
        var planted = fakes.Combine("iptables-nft-restore");
        var marker = fakes.Combine("ran");
        File.WriteAllText(planted, $"#!/bin/sh\ntouch {marker}\nexit 1\n");
        File.SetUnixFileMode(planted, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var result = ProcessRunner.Run(
            RepoPaths.Binary("sluice-iptables"),
            new Dictionary<string, string> { ["PATH"] = $"{fakes.Path}:.:{DefaultPath}" },
            null,
            ["--profile", "istio", "--backend", "iptables", "--iptables-variant", "nft", "--netns", lab.PodNs.Path],
            workingDirectory: fakes.Path);

        Assert.Equal(0, result.ExitCode);
        Assert.False(File.Exists(marker));
    }

    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static ProcessResult Tool(CaptureLab lab, string[] arguments, string path = DefaultPath) =>
        ProcessRunner.Run(
            RepoPaths.Binary("sluice-iptables"),
            new Dictionary<string, string> { ["PATH"] = path },
            null,
            [.. arguments, "--netns", lab.PodNs.Path]);
}
