using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Namespaces;
using Sluice.Linux.Rtnetlink;
using Sluice.Runtime.Tests.Lab;

namespace Sluice.Runtime.Tests;

/// <summary>
/// Pod sandboxes through containerd 1.6's CRI, the path kubelet takes: RunPodSandbox,
/// StopPodSandbox and RemovePodSandbox on a private containerd whose CRI plugin runs
/// [sluice-bridge, sluice-redirect] (docs/runtime.md).
/// </summary>
public sealed class SandboxLifecycleTests
{
    private const string CaptureTable = "table inet sluice_capture";

    [RootFact]
    public void RunPodSandbox_MsmPod_GetsItsAddressesDefaultRouteAndCaptureRules()
    {
        using var node = CriNode.Start();
        node.Api.SetPod(CriNode.PodNamespace, "camera", SamplePods.Msm(CriNode.PodNamespace, "camera"));

        var id = node.RunPod("camera");
        var status = node.Cri.Status(id);

        Assert.Equal("SANDBOX_READY", status.State);
        var v4 = Assert.Single(status.Ips, ip => ip.AddressFamily == AddressFamily.InterNetwork);
        Assert.True(CriNode.Subnet4.Contains(v4), $"{v4} is not in {CriNode.Subnet4}");
        Assert.Contains(status.Ips, ip => ip.AddressFamily == AddressFamily.InterNetworkV6 && CriNode.Subnet6.Contains(ip));
        using var pod = NetNs.Open(status.NetnsPath);
        using (var rtnl = Rtnl.OpenIn(pod))
        {
            var eth0 = rtnl.GetLink("eth0");
            Assert.Contains(rtnl.ListAddresses(eth0.Index), a => a.Address.Equals(v4) && a.PrefixLength == 24);
            Assert.Contains(rtnl.ListRoutes(AddressFamily.InterNetwork), r => r.IsDefault && IPAddress.Parse(CriNode.Gateway4).Equals(r.Gateway));
        }

        Assert.Contains(CaptureTable, Ruleset(pod), StringComparison.Ordinal);
        var add = Assert.Single(node.Calls.Of("sluice-redirect", "ADD"));
        Assert.True(add.HasPrevResult, node.Calls.Text());
        Assert.Equal(status.NetnsPath, add.Netns);
        Assert.Contains($"K8S_POD_NAMESPACE={CriNode.PodNamespace}", add.Args, StringComparison.Ordinal);
        Assert.Contains("K8S_POD_NAME=camera", add.Args, StringComparison.Ordinal);
    }

    [RootFact]
    public void RunPodSandbox_PlainPod_GetsAnAddressAndNoCaptureRules()
    {
        using var node = CriNode.Start();
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Plain(CriNode.PodNamespace, "web"));

        var status = node.Cri.Status(node.RunPod("web"));

        Assert.Contains(status.Ips, ip => CriNode.Subnet4.Contains(ip));
        using var pod = NetNs.Open(status.NetnsPath);
        Assert.DoesNotContain(CaptureTable, Ruleset(pod), StringComparison.Ordinal);
        Assert.Single(node.Calls.Of("sluice-redirect", "ADD"));
    }

    [RootFact]
    public void StopAndRemovePodSandbox_MsmPod_DeleteTwiceAndLeaveNoAddressVethOrRuleBehind()
    {
        using var node = CriNode.Start();
        node.Api.SetPod(CriNode.PodNamespace, "camera", SamplePods.Msm(CriNode.PodNamespace, "camera"));
        var id = node.RunPod("camera");
        var status = node.Cri.Status(id);
        var hostVeth = Assert.Single(status.NodeSideInterfaces, name => name.StartsWith("veth", StringComparison.Ordinal));
        Assert.Contains(hostVeth, node.NodeLinks());

        // Hold the sandbox's netns open: containerd removes it on stop, this keeps it to look inside.
        // sluice-bridge's DEL releases the veth (down, off the bridge) and leaves the pair to the
        // namespace's teardown, so while this handle keeps the namespace, the pair is still there.
        var pod = NetNs.Open(status.NetnsPath);
        node.Cri.StopPodSandbox(id);

        Assert.Equal("SANDBOX_NOTREADY", node.Cri.Status(id).State);
        Assert.DoesNotContain(CaptureTable, Ruleset(pod), StringComparison.Ordinal);
        using (var rtnl = Rtnl.OpenIn(pod))
        {
            Assert.All(rtnl.ListLinks().Where(l => l.Name == "eth0"), l => Assert.False(l.Flags.HasFlag(LinkFlags.LowerUp), "the pod's eth0 still has carrier after DEL"));
        }

        Assert.Empty(node.Allocations());
        pod.Dispose();
        Assert.DoesNotContain(hostVeth, node.NodeLinksSettled(hostVeth));

        node.Cri.RemovePodSandbox(id);

        Assert.Empty(node.Cri.ListPodSandboxes());
        foreach (var plugin in new[] { "sluice-bridge", "sluice-portmap", "sluice-redirect" })
        {
            var dels = node.Calls.Of(plugin, "DEL");
            Assert.True(dels.Count == 2, $"{plugin}: {dels.Count} DELs\n{node.Diagnostics()}");
            Assert.Equal((status.NetnsPath, true), (dels[0].Netns, dels[0].HasPrevResult));
            Assert.Equal(("", false), (dels[1].Netns, dels[1].HasPrevResult));
        }

        Assert.Empty(node.Allocations());
        Assert.DoesNotContain(hostVeth, node.NodeLinksSettled(hostVeth));
        Assert.False(File.Exists(status.NetnsPath), $"{status.NetnsPath} still exists");
    }

    [RootFact]
    public void PodSandbox_RunAndRemoved_PluginsWorkInTheNodeNamespaceAndTheHostKeepsItsLinksAndRoutes()
    {
        var hostRoutesBefore = HostRoutes();
        var hostLinksBefore = HostLinks();
        using var node = CriNode.Start();
        node.Api.SetPod(CriNode.PodNamespace, "web", SamplePods.Plain(CriNode.PodNamespace, "web"));
        var id = node.RunPod("web");
        var ours = node.Cri.Status(id).NodeSideInterfaces;

        Assert.Equal(["sluice0"], ours.Where(name => !name.StartsWith("veth", StringComparison.Ordinal)));
        Assert.All(ours, name => Assert.Contains(name, node.NodeLinks()));
        Assert.All(ours.Where(name => !hostLinksBefore.Contains(name)), name => Assert.DoesNotContain(name, HostLinks()));
        Assert.DoesNotContain(HostRoutes(), route => route.Contains("10.47.", StringComparison.Ordinal) || route.Contains("fd47:", StringComparison.Ordinal));

        node.Cri.StopPodSandbox(id);
        node.Cri.RemovePodSandbox(id);

        Assert.Equal(hostRoutesBefore, HostRoutes());
        Assert.All(ours.Where(name => !hostLinksBefore.Contains(name)), name => Assert.DoesNotContain(name, HostLinks()));
    }

    /// <summary><c>nft list ruleset</c> inside the namespace.</summary>
    private static string Ruleset(NetNs ns)
    {
        var result = ProcessRunner.RunIn(ns, "nft", new Dictionary<string, string>(), null, ["list", "ruleset"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Stdout;
    }

    private static List<string> HostLinks()
    {
        using var rtnl = Rtnl.Open();
        return rtnl.ListLinks().Select(l => l.Name).Order(StringComparer.Ordinal).ToList();
    }

    private static List<string> HostRoutes()
    {
        using var rtnl = Rtnl.Open();
        return [.. rtnl.ListRoutes(AddressFamily.InterNetwork).Concat(rtnl.ListRoutes(AddressFamily.InterNetworkV6)).Select(r => r.ToString()).Order(StringComparer.Ordinal)];
    }
}
