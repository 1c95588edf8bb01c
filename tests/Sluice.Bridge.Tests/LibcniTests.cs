using System.Text.Json.Nodes;

namespace Sluice.Bridge.Tests;

/// <summary>
/// The plugins driven by libcni (what containerd, CRI-O and podman use): conflists with
/// sluice-bridge alone and chained with Debian's portmap, through ADD, CHECK and DEL.
/// </summary>
public sealed class LibcniTests : IDisposable
{
    // IPv4 only: Debian's portmap (1.1.1) fails its own CHECK on dual-stack pods ("could not check
    // ipv6 dnat" with an IPv4 rule), which is not what these tests are about.
    private readonly Testbed _bed = new(subnet6: null);
    private readonly TempDirectory _dir = new("libcni");

    public void Dispose()
    {
        _bed.Dispose();
        _dir.Dispose();
    }

    private string Conflist(bool withPortmap)
    {
        var bridge = _bed.Config(version: "1.0.0").Replace("\"cniVersion\":\"1.0.0\",\"name\":\"podnet\",", "", StringComparison.Ordinal);
        var plugins = withPortmap ? $$"""[{{bridge}},{"type":"portmap","capabilities":{"portMappings":true},"snat":true}]""" : $"[{bridge}]";
        var path = _dir.Combine("net.conflist");
        File.WriteAllText(path, $$"""{"cniVersion":"1.0.0","name":"podnet","plugins":{{plugins}}}""");
        return path;
    }

    private ProcessResult Driver(string command, string conflist, TestNetns pod, string extra = "")
    {
        var env = new Dictionary<string, string> { ["CNI_PATH"] = $"{RepoPaths.BinDirectory}:/usr/lib/cni" };
        string[] args = [command, "-conflist", conflist, "-netns", pod.Path, "-id", "ctr-libcni", "-cache-dir", _dir.Combine("cache"), "-args", "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web"];
        if (extra.Length > 0)
        {
            args = [.. args, "-portmap", extra];
        }

        return ProcessRunner.RunIn(_bed.NodeNs, GoTools.Path("cnidriver"), env, null, args);
    }

    [RootFact]
    public void BridgeAlone_AddCheckDel()
    {
        var conflist = Conflist(withPortmap: false);
        var pod = _bed.NewPod();
        var add = Driver("add", conflist, pod);
        Assert.True(add.ExitCode == 0, add.ToString());
        Assert.Equal("10.44.0.2/24", (string?)JsonNode.Parse(add.Stdout)!["ips"]![0]!["address"]);
        var check = Driver("check", conflist, pod);
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.Equal(0, Driver("del", conflist, pod).ExitCode);
        Assert.Empty(_bed.Allocations());
        Assert.Equal(["lo", "sluice0"], _bed.NodeLinks());
    }

    [RootFact]
    public void ChainedWithPortmap_ForwardsAHostPortToThePod()
    {
        var conflist = Conflist(withPortmap: true);
        var pod = _bed.NewPod();
        var outside = _bed.Outside();
        var add = Driver("add", conflist, pod, "8080:7100/tcp");
        Assert.True(add.ExitCode == 0, add.ToString());

        using (var server = new PeerAddressServer(pod, 7100))
        {
            var seen = PeerAddressServer.Ask(outside, Testbed.NodeUplinkV4, 8080);
            Assert.True(seen.ExitCode == 0, seen + "\n" + _bed.Firewall());
        }

        // libcni checks the list in order and stops at the first failure. Debian's portmap 1.1.1 fails
        // its own CHECK ("could not check ipv6 dnat") on every pod; that error coming from portmap
        // means sluice-bridge, which runs first, passed its CHECK.
        var check = Driver("check", conflist, pod, "8080:7100/tcp");
        Assert.True(check.ExitCode == 0 || check.Stderr.Contains("could not check ipv6 dnat", StringComparison.Ordinal), check.ToString());
        var del = Driver("del", conflist, pod, "8080:7100/tcp");
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(_bed.Allocations());
        Assert.Equal(["lo", "sluice0", "uplink0"], _bed.NodeLinks());
        Assert.DoesNotContain("ctr-libcni", _bed.Firewall(), StringComparison.Ordinal);
    }
}
