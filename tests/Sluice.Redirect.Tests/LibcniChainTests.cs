using System.Net;
using Sluice.Redirect.Tests.Lab;
using Sluice.TestSupport.Traffic;

namespace Sluice.Redirect.Tests;

/// <summary>
/// The chain [sluice-bridge, sluice-redirect] driven by libcni (what containerd, CRI-O and podman
/// use) in a node namespace, the pod looked up on the fake API server over HTTPS. Capture is
/// proved with traffic: stand-in proxies in the pod report the destination the client asked for.
/// </summary>
public sealed class LibcniChainTests : IDisposable
{
    private const uint ProxyUid = 1337;

    private readonly MeshNode _node = new();

    public void Dispose() => _node.Dispose();

    private static IPEndPoint At(string address, int port) => new(IPAddress.Parse(address), port);

    [RootFact]
    public void MsmPod_ChainAddedByLibcni_SendsAppRtspToTheStubTheRestDirectAndDelLeavesNothing()
    {
        _node.Api.SetPod(MeshNode.PodNamespace, "camera", SamplePods.Msm(MeshNode.PodNamespace, "camera"));
        var conflist = _node.Conflist("msm");
        var pod = _node.NewPod("camera");
        _node.Add(conflist, pod);
        using var rtsp = _node.NodeResponder(554);
        using var web = _node.NodeResponder(8080);
        using var stub = Responder.Start(pod.NetNs, "stub", System.Net.Sockets.ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 8554));

        Assert.Equal($"stub {MeshNode.Gateway}:554", Probe.Tcp(pod.NetNs, At(MeshNode.Gateway, 554)));
        Assert.Equal($"node {MeshNode.Gateway}:554", Probe.Tcp(pod.NetNs, At(MeshNode.Gateway, 554), uid: ProxyUid));
        Assert.Equal($"node {MeshNode.Gateway}:8080", Probe.Tcp(pod.NetNs, At(MeshNode.Gateway, 8080)));

        var check = _node.Driver("check", conflist, pod);
        Assert.True(check.ExitCode == 0, check.ToString());
        var del = _node.Driver("del", conflist, pod);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.DoesNotContain("sluice", pod.Rules(), StringComparison.Ordinal);
        Assert.Equal($"node {MeshNode.Gateway}:554", Probe.Tcp(_node.NodeNs, At(MeshNode.Gateway, 554)));
        Assert.Empty(_node.Allocations());
    }

    [RootTheory]
    [InlineData("nft")]
    [InlineData("iptables")]
    public void IstioPod_ChainAddedByLibcni_SendsOutboundToTheProxyReceivesInboundThroughItAndDelLeavesNothing(string backend)
    {
        _node.Api.SetPod(MeshNode.PodNamespace, "reviews", SamplePods.Istio(MeshNode.PodNamespace, "reviews"));
        _node.Api.SetPod(MeshNode.PodNamespace, "client", SamplePods.Plain(MeshNode.PodNamespace, "client"));
        var conflist = _node.Conflist("istio", backend: backend);
        var reviews = _node.NewPod("reviews");
        var client = _node.NewPod("client");
        var reviewsIp = _node.Add(conflist, reviews).ToString();
        _node.Add(conflist, client);
        using var web = _node.NodeResponder(8080);
        using var outbound = Responder.Start(reviews.NetNs, "proxy-out", System.Net.Sockets.ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 15001));
        using var inbound = Responder.Start(reviews.NetNs, "proxy-in", System.Net.Sockets.ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 15006));
        using var status = Responder.Start(reviews.NetNs, "app", System.Net.Sockets.ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 15020));

        Assert.Equal($"proxy-out {MeshNode.Gateway}:8080", Probe.Tcp(reviews.NetNs, At(MeshNode.Gateway, 8080)));
        Assert.Equal($"node {MeshNode.Gateway}:8080", Probe.Tcp(reviews.NetNs, At(MeshNode.Gateway, 8080), uid: ProxyUid));
        Assert.Equal($"proxy-in {reviewsIp}:9080", Probe.Tcp(client.NetNs, At(reviewsIp, 9080)));
        Assert.Equal($"app {reviewsIp}:15020", Probe.Tcp(client.NetNs, At(reviewsIp, 15020)));

        // The client pod has no istio-proxy: the chain passed it through untouched.
        Assert.Equal($"node {MeshNode.Gateway}:8080", Probe.Tcp(client.NetNs, At(MeshNode.Gateway, 8080)));
        Assert.DoesNotContain("sluice", client.Rules(), StringComparison.OrdinalIgnoreCase);

        foreach (var pod in new[] { reviews, client })
        {
            var check = _node.Driver("check", conflist, pod);
            Assert.True(check.ExitCode == 0, check.ToString());
            var del = _node.Driver("del", conflist, pod);
            Assert.True(del.ExitCode == 0, del.ToString());
            Assert.DoesNotContain("sluice", pod.Rules(), StringComparison.OrdinalIgnoreCase);
        }

        Assert.Empty(_node.Allocations());
        Assert.Equal(["lo", "sluice0"], _node.NodeLinks());
    }

    [RootFact]
    public void IstioPod_LoopbackBroughtUpWhileTheChainRuns_BothStepsSucceedAndThePassthroughSourceIsOnLo()
    {
        // containerd's go-cni runs the loopback plugin beside the chain; the plugin refuses a lo
        // that already holds ::6. Here the loopback step comes only once sluice-redirect is at work.
        _node.Api.SetPod(MeshNode.PodNamespace, "reviews", SamplePods.Istio(MeshNode.PodNamespace, "reviews"));
        var conflist = _node.Conflist("istio");
        var pod = _node.NewPod("reviews", loopbackUp: false);

        var chain = Task.Run(() => _node.Driver("add", conflist, pod));
        var waiting = SpinWait.SpinUntil(() => chain.IsCompleted || _node.Log().Contains("lo is down", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var loopback = MeshNode.RuntimeLoopbackStep(pod);
        var add = chain.GetAwaiter().GetResult();

        Assert.True(waiting, "the chain neither finished nor logged within 30 s");
        Assert.True(loopback.ExitCode == 0, loopback + "\n" + _node.Log());
        Assert.True(add.ExitCode == 0, add + "\n" + _node.Log());
        Assert.Contains("lo was down: the runtime brought it up", _node.Log(), StringComparison.Ordinal);
        AssertPassthroughOnLoThenCheckAndDelPass(conflist, pod);
    }

    [RootFact]
    public void IstioPod_LoNeverBroughtUp_AddBringsItUpAfterThePatienceAndCaptures()
    {
        // A caller with no loopback step at all (cnitool): the wait is bounded, then the ADD does it.
        _node.Api.SetPod(MeshNode.PodNamespace, "reviews", SamplePods.Istio(MeshNode.PodNamespace, "reviews"));
        var conflist = _node.Conflist("istio");
        var pod = _node.NewPod("reviews", loopbackUp: false);

        var add = _node.Driver("add", conflist, pod);

        Assert.True(add.ExitCode == 0, add + "\n" + _node.Log());
        Assert.True(add.Elapsed >= Sluice.Capture.RuntimeLoopback.DefaultPatience, $"ADD took {add.Elapsed}");
        Assert.Contains("nothing brought it up within 2000 ms", _node.Log(), StringComparison.Ordinal);
        AssertPassthroughOnLoThenCheckAndDelPass(conflist, pod);
    }

    [RootFact]
    public void IstioPod_ChainRunByCriO_PassthroughSourceGoesOnLoWithoutWaitingForALoopbackStep()
    {
        // CRI-O brings lo up and checks it in its own process before any network; the plugins see
        // the crio executable as their parent (here the libcni driver under that name).
        _node.Api.SetPod(MeshNode.PodNamespace, "reviews", SamplePods.Istio(MeshNode.PodNamespace, "reviews"));
        var conflist = _node.Conflist("istio");
        var pod = _node.NewPod("reviews");

        var add = _node.Driver("add", conflist, pod, driver: _node.DriverNamed("crio"));

        Assert.True(add.ExitCode == 0, add + "\n" + _node.Log());
        Assert.Contains("runtimeLoopback auto: called by CRI-O (crio)", _node.Log(), StringComparison.Ordinal);
        Assert.Contains("lo was up, and the runtime finishes its loopback step before the chain: no wait", _node.Log(), StringComparison.Ordinal);
        AssertPassthroughOnLoThenCheckAndDelPass(conflist, pod);
    }

    /// <summary>The pod's lo holds the passthrough source ::6; libcni's CHECK and DEL of the chain then pass.</summary>
    private void AssertPassthroughOnLoThenCheckAndDelPass(string conflist, Pod pod)
    {
        Assert.Contains("inet6 ::6/128 ", pod.Namespace.Exec("ip", "-6", "address", "show", "dev", "lo"), StringComparison.Ordinal);
        Assert.True(_node.Driver("check", conflist, pod).ExitCode == 0);
        Assert.Equal(0, _node.Driver("del", conflist, pod).ExitCode);
    }

    [RootFact]
    public void PlainPod_ChainAddedByLibcni_GetsNoCaptureAndTheLogSaysWhy()
    {
        _node.Api.SetPod(MeshNode.PodNamespace, "report", SamplePods.Plain(MeshNode.PodNamespace, "report"));
        var conflist = _node.Conflist("msm");
        var pod = _node.NewPod("report");
        var add = _node.Driver("add", conflist, pod);
        Assert.True(add.ExitCode == 0, add.ToString());
        using var rtsp = _node.NodeResponder(554);

        Assert.Equal($"node {MeshNode.Gateway}:554", Probe.Tcp(pod.NetNs, At(MeshNode.Gateway, 554)));
        Assert.DoesNotContain("sluice", pod.Rules(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("no capture:", _node.Log(), StringComparison.Ordinal);
        Assert.Equal(0, _node.Driver("del", conflist, pod).ExitCode);
    }

    [RootFact]
    public void CaptureRules_FlushedAfterAdd_FailTheLibcniCheck()
    {
        _node.Api.SetPod(MeshNode.PodNamespace, "reviews", SamplePods.Istio(MeshNode.PodNamespace, "reviews"));
        var conflist = _node.Conflist("istio");
        var pod = _node.NewPod("reviews");
        _node.Add(conflist, pod);
        pod.Namespace.Exec("nft", "flush", "chain", "inet", "sluice_capture", "nat_output");

        var check = _node.Driver("check", conflist, pod);
        Assert.NotEqual(0, check.ExitCode);
        Assert.Contains("differ from the pod's policy", check.Stdout + check.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _node.Driver("del", conflist, pod).ExitCode);
    }

    [RootFact]
    public void Add_ApiUnreachable_FailsWithinPodLookupTotalAndLibcniDelLeavesNothing()
    {
        var unreachable = File.ReadAllText(_node.Kubeconfig).Replace(_node.Api.Server, "https://127.0.0.1:1", StringComparison.Ordinal);
        var kubeconfig = Path.Combine(Path.GetDirectoryName(_node.Kubeconfig)!, "unreachable-kubeconfig");
        File.WriteAllText(kubeconfig, unreachable);
        var conflist = _node.Conflist("istio", ""","podLookup":{"timeoutMs":300,"attempts":3,"totalMs":1500}""", kubeconfig: kubeconfig);
        var pod = _node.NewPod("reviews");

        var add = _node.Driver("add", conflist, pod);
        Assert.NotEqual(0, add.ExitCode);
        // libcni shows the plugin's message (its code is checked in RedirectProcessTests).
        Assert.Contains("GET pod shop/reviews from https://127.0.0.1:1: connection refused", add.Stderr, StringComparison.Ordinal);

        // Bounded by podLookup.totalMs (1.5 s), far below kubelet's own timeout; the margin is for a loaded machine.
        Assert.True(add.Elapsed < TimeSpan.FromSeconds(1.5 + 5), $"ADD took {add.Elapsed}");

        var del = _node.Driver("del", conflist, pod);
        Assert.True(del.ExitCode == 0, del.ToString());
        Assert.Empty(_node.Allocations());
        Assert.Equal(["lo", "sluice0"], _node.NodeLinks());
        Assert.DoesNotContain("sluice", pod.Rules(), StringComparison.OrdinalIgnoreCase);
    }
}
