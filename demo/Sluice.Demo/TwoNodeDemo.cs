using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;
using Sluice.TestSupport.Traffic;

namespace Sluice.Demo;

/// <summary>
/// The story of make demo, step by step: two nodes, their agents, pods through a real CNI
/// runtime library, traffic on one node and across nodes, an MSM pod whose RTSP lands in its
/// stub, a plain pod left alone, the rules inside the pods, and a teardown that leaves nothing.
/// </summary>
internal sealed class TwoNodeDemo(TwoNodeCluster cluster)
{
    private const int MetricsPort = 9870;
    private const uint StubUid = 1337;

    private ClusterPod _camera = null!;
    private ClusterPod _webA = null!;
    private ClusterPod _webB = null!;

    public void Run()
    {
        Cluster();
        Agents();
        Pods();
        Ping("pod to pod on node-a", (_camera, _webA.V4), (_webA, _camera.V6));
        Ping("across nodes, through the routes the agents programmed", (_webA, _webB.V4), (_webA, _webB.V6), (_webB, _camera.V4), (_webB, _camera.V6));
        MsmCapture();
        RulesInPods();
        Metrics();
        NodeStatus();
    }

    public void Explore()
    {
        Say.Step("Left running for exploration (Ctrl-C tears it down)");
        Say.Line($"""
            node-a: ip netns exec {cluster.A.Ns.Name} ip route show proto {ClusterNode.RouteProtocol}
                    cat {cluster.A.Conflist}
                    ls {cluster.A.BinDir}
            node-b: ip netns exec {cluster.B.Ns.Name} ip route show proto {ClusterNode.RouteProtocol}
            camera: ip netns exec {_camera.Ns.Name} nft list ruleset
                    ip netns exec {_camera.Ns.Name} ip addr show eth0
            web-a:  ip netns exec {_webA.Ns.Name} ping -c1 {_webB.V4}
            web-b:  ip netns exec {_webB.Ns.Name} ping -c1 {_camera.V6}
            """);
    }

    public void Teardown()
    {
        Say.Step("Teardown: the runtime's DEL for every pod, SIGTERM to the agents (which keep their files), sluice-agent uninstall");
        foreach (var (node, pod) in new[] { (cluster.A, _camera), (cluster.A, _webA), (cluster.B, _webB) })
        {
            var del = node.DeletePod(pod);
            Expect(del.ExitCode == 0, $"DEL of {pod.Name}: {del}");
        }

        Say.Ok("DEL of camera, web-a, web-b: ok (addresses released, veths and capture rules gone)");
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            var log = node.StopAgent();
            Expect(File.Exists(node.Conflist) && node.SluiceRoutes().Count == 2, $"{node.Name}'s agent did not keep its files on SIGTERM:\n{log}");
            var uninstall = node.Uninstall();
            Expect(uninstall.ExitCode == 0 && !File.Exists(node.Conflist) && node.SluiceRoutes().Count == 0 && !File.Exists(Path.Combine(node.BinDir, "sluice-bridge")), $"{node.Name}: sluice-agent uninstall left something behind:\n{uninstall}");
            Say.Ok($"{node.Name}: the stopped agent kept its files (a restart opens no gap); sluice-agent uninstall removed its conflist, its routes and the binaries");
            if (node == cluster.A)
            {
                Say.Line("what the plugins told node-a's agent (its log, as kubectl logs shows it):");
                Say.Line(string.Join('\n', log.Split('\n').Where(l => l.Contains(" sluice-bridge ", StringComparison.Ordinal) || l.Contains(" sluice-redirect ", StringComparison.Ordinal)).Select(l => "  " + l)));
            }
        }
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new DemoFailure(failure);
        }
    }

    private void Cluster()
    {
        Say.Step("Two nodes in network namespaces, joined by a veth (their network), and an API server");
        Say.Line($"node-a  netns {cluster.A.Ns.Name}  InternalIP 10.77.0.1, fd77::1  podCIDRs 10.246.1.0/24, fd46:0:0:1::/64");
        Say.Line($"node-b  netns {cluster.B.Ns.Name}  InternalIP 10.77.0.2, fd77::2  podCIDRs 10.246.2.0/24, fd46:0:0:2::/64");
        Say.Line($"API server (embedded fake: HTTPS, bearer token, Node and Pod JSON as kube-apiserver serves it) at {cluster.Api.Server}, on both nodes' loopback");
    }

    private void Agents()
    {
        Say.Step("sluice-agent on each node: primary network + chained sluice-redirect, profile msm");
        cluster.StartAgents(("CHAINED", "true"), ("PROFILE", "msm"), ("HEALTH_PORT", MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var plugins = JsonNode.Parse(File.ReadAllText(cluster.A.Conflist))!["plugins"]!.AsArray().Select(p => (string)p!["type"]!);
        Say.Line($"node-a's agent wrote {cluster.A.Conflist}: [{string.Join(", ", plugins)}]");
        Say.Line($"and installed {string.Join(", ", Directory.EnumerateFiles(cluster.A.BinDir).Select(Path.GetFileName).Order())} into {cluster.A.BinDir}");
        foreach (var node in new[] { cluster.A, cluster.B })
        {
            Say.Line($"{node.Name}: ip route show proto {ClusterNode.RouteProtocol}\n  " + string.Join("\n  ", Show.In(node.Ns, "ip", "-4", "route", "show", "proto", "83").Trim().Split('\n').Concat(Show.In(node.Ns, "ip", "-6", "route", "show", "proto", "83").Trim().Split('\n'))));
        }

        Say.Ok("each node routes the other's pod CIDRs via its InternalIP; no route typed by hand");
    }

    private void Pods()
    {
        Say.Step("Pods created through libcni (the runtime library containerd and CRI-O use)");
        // As kubelet and the API server do: the pod appears on its node (the agents' pod watches
        // see it), the runtime's ADD with the pod's UID, then kubelet reports it Running with its addresses.
        _camera = ClusterKubelet.Start(cluster.A, cluster.Api, SamplePods.Msm("media", "camera", "node-a"));
        _webA = ClusterKubelet.Start(cluster.A, cluster.Api, SamplePods.Plain("default", "web-a", "node-a"));
        _webB = ClusterKubelet.Start(cluster.B, cluster.Api, SamplePods.Plain("default", "web-b", "node-b"));
        Say.Line("pod            node    IPv4          IPv6");
        foreach (var (pod, node) in new[] { (_camera, "node-a"), (_webA, "node-a"), (_webB, "node-b") })
        {
            Say.Line($"{pod.KubeNamespace + "/" + pod.Name,-14} {node}  {pod.V4,-13} {pod.V6}");
        }

        Say.Ok("media/camera carries the label sidecar.mediastreamingmesh.io/inject; the others carry none");
    }

    private static void Ping(string title, params (ClusterPod From, IPAddress To)[] pings)
    {
        Say.Step($"ping {title}");
        foreach (var (from, to) in pings)
        {
            var ping = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", from.Ns.Name, "ping", "-c", "1", "-W", "2", to.ToString()], inheritEnvironment: true);
            Expect(ping.ExitCode == 0, $"ping {to} from {from.Name}: {ping}");
            var time = ping.Stdout.Split('\n').FirstOrDefault(l => l.Contains("time=", StringComparison.Ordinal))?.Split("time=")[1] ?? "";
            Say.Ok($"{from.Name,-6} -> {to,-16} reply in {time}");
        }
    }

    private void MsmCapture()
    {
        Say.Step("MSM: the camera's RTSP connections land in its stub; a plain pod's do not");
        using var server = Responder.Start(_webB.NetNs, "rtsp-server (web-b)", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 554));
        using var stub = Responder.Start(_camera.NetNs, "msm-rtsp-stub (in camera)", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 8554));
        var target = new IPEndPoint(_webB.V4, 554);
        var fromCamera = Probe.Tcp(_camera.NetNs, target);
        var fromStub = Probe.Tcp(_camera.NetNs, target, uid: StubUid);
        var fromPlain = Probe.Tcp(_webA.NetNs, target);
        Say.Line($"camera connects to {target}: answered by {fromCamera}");
        Say.Line($"the stub itself (UID {StubUid}) connects to {target}: answered by {fromStub}");
        Say.Line($"web-a (plain) connects to {target}: answered by {fromPlain}");
        Expect(fromCamera == $"msm-rtsp-stub (in camera) {target}", $"the camera's RTSP went to '{fromCamera}'");
        Expect(fromStub == $"rtsp-server (web-b) {target}" && fromPlain == fromStub, $"the stub's or the plain pod's RTSP was captured: '{fromStub}', '{fromPlain}'");
        Say.Ok("the stub sees the original destination; its own upstream connection and the plain pod go direct");
    }

    private void RulesInPods()
    {
        Say.Step("The rules inside the pods' network namespaces (nft list ruleset)");
        Say.Line("camera:\n" + Show.In(_camera.Ns, "nft", "list", "ruleset"));
        var plain = Show.In(_webA.Ns, "nft", "list", "ruleset").Trim();
        Expect(plain.Length == 0, $"web-a has rules:\n{plain}");
        Say.Line("web-a: (no rules)");
        var check = cluster.A.CheckPod(_camera);
        Expect(check.ExitCode == 0, $"CHECK of camera: {check}");
        Say.Ok("the runtime's CHECK of camera passes: bridge, veth, addresses, routes, firewall and capture rules as they should be");
    }

    private void Metrics()
    {
        Say.Step($"node-a's agent: /metrics (every plugin call reported to it over its log socket)");
        var metrics = cluster.A.Get(MetricsPort, "/metrics");
        Say.Line(string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("sluice_plugin_calls_total", StringComparison.Ordinal) || l.StartsWith("sluice_agent_routes ", StringComparison.Ordinal) || l.StartsWith("sluice_agent_ready", StringComparison.Ordinal))));
        Expect(metrics.Contains("sluice_plugin_calls_total{plugin=\"sluice-redirect\",command=\"ADD\",result=\"ok\"} 2", StringComparison.Ordinal), "the agent did not count the plugin calls:\n" + metrics);
        Say.Ok("calls counted by plugin, command and result, with a latency histogram next to them");
    }

    private void NodeStatus()
    {
        Say.Step("sluice-agent status on node-a (what kubectl exec into its agent pod shows)");
        // The capture reconciler checks a pod as soon as kubelet reports it Running; its finding is what status shows.
        var status = cluster.A.Status();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!CameraCaptured(status) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(200);
            status = cluster.A.Status();
        }

        Say.Line(status.Stdout.TrimEnd());
        Expect(status.ExitCode == 0 && CameraCaptured(status), $"sluice-agent status on node-a: {status}");
        Say.Ok("conflist, binaries, kubeconfig from the node's files; pods (as the capture reconciler found them in their namespaces), routes and plugin errors from the running agent's root-only socket");
    }

    private static bool CameraCaptured(ProcessResult status) =>
        System.Text.RegularExpressions.Regex.IsMatch(status.Stdout, @"(?m)^\s+captured\s+media/camera\s+its rules are in place");
}
