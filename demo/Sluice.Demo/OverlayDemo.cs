using System.Net;
using System.Net.Sockets;
using Sluice.TestSupport;
using Sluice.TestSupport.Cluster;
using Sluice.TestSupport.Traffic;

namespace Sluice.Demo;

/// <summary>
/// The second part of make demo: nodes on two subnets joined by a router, the VXLAN backend with
/// direct routing (direct routes inside a subnet, VXLAN across the router), and a pod reached
/// from outside the cluster through its hostPort.
/// </summary>
internal sealed class OverlayDemo(ThreeNodeCluster cluster)
{
    private ClusterPod _webA = null!;
    private ClusterPod _webB = null!;
    private ClusterPod _ingress = null!;

    public void Run()
    {
        Say.Step("Three nodes on two subnets: node-a and node-b on 10.77.0.0/24, node-c on 10.78.0.0/24 behind a router");
        Say.Line("node-a  InternalIP 10.77.0.1, fd77::1  podCIDRs 10.246.1.0/24, fd46:0:0:1::/64");
        Say.Line("node-b  InternalIP 10.77.0.2, fd77::2  podCIDRs 10.246.2.0/24, fd46:0:0:2::/64");
        Say.Line("node-c  InternalIP 10.78.0.3, fd78::3  podCIDRs 10.246.3.0/24, fd46:0:0:3::/64   (router 10.77.0.254 | 10.78.0.254)");
        Agents();
        Pods();
        Pings();
        HostPort();
    }

    public void Teardown()
    {
        foreach (var (node, pod) in new[] { (cluster.A, _webA), (cluster.B, _webB), (cluster.C, _ingress) })
        {
            Expect(node.DeletePod(pod).ExitCode == 0, $"DEL of {pod.Name}");
        }

        foreach (var node in cluster.Nodes)
        {
            node.StopAgent();
            var uninstall = node.Uninstall();
            Expect(uninstall.ExitCode == 0 && node.SluiceRoutes().Count == 0 && Show.In(node.Ns, "ip", "link", "show", "type", "vxlan").Trim().Length == 0, $"{node.Name}: sluice-agent uninstall left something behind:\n{uninstall}");
        }

        Say.Ok("pods deleted; sluice-agent uninstall removed each node's routes and VXLAN devices");
    }

    private static void Expect(bool condition, string failure)
    {
        if (!condition)
        {
            throw new DemoFailure(failure);
        }
    }

    private void Agents()
    {
        Say.Step("sluice-agent on each node with BACKEND=vxlan DIRECT_ROUTING=true");
        cluster.StartAgents(("BACKEND", "vxlan"), ("DIRECT_ROUTING", "true"));
        foreach (var node in cluster.Nodes)
        {
            node.Wait(() => node.SluiceRoutes().Count == 4, $"{node.Name} programmed no routes to the other nodes' pods");
        }

        Say.Line("node-a: ip route show proto 83\n  " + string.Join("\n  ", Routes(cluster.A)));
        Say.Line("node-a: ip -d link show sluice.vxlan\n  " + string.Join("\n  ", Show.In(cluster.A.Ns, "ip", "-d", "link", "show", "sluice.vxlan").Trim().Split('\n')));
        Say.Line("node-a: bridge fdb show dev sluice.vxlan\n  " + string.Join("\n  ", Show.In(cluster.A.Ns, "bridge", "fdb", "show", "dev", "sluice.vxlan").Trim().Split('\n')));
        var routes = cluster.A.SluiceRoutes();
        Expect(routes.Contains("10.246.2.0/24 via 10.77.0.2") && routes.Contains("10.246.3.0/24 via 10.246.3.0"), $"node-a's routes: {string.Join(", ", routes)}");
        Say.Ok("node-b (same subnet) by a direct route via its InternalIP; node-c (behind the router) over VXLAN to 10.78.0.3, UDP 8472");
    }

    private static IEnumerable<string> Routes(ClusterNode node) =>
        Show.In(node.Ns, "ip", "-4", "route", "show", "proto", "83").Trim().Split('\n')
            .Concat(Show.In(node.Ns, "ip", "-6", "route", "show", "proto", "83").Trim().Split('\n'));

    private void Pods()
    {
        _webA = cluster.A.AddPod("web-a");
        _webB = cluster.B.AddPod("web-b");
        _ingress = cluster.C.AddPod("ingress", portMappings: ["8080:80/tcp"]);
        Say.Line("pod      node    IPv4          IPv6");
        foreach (var (pod, node) in new[] { (_webA, "node-a"), (_webB, "node-b"), (_ingress, "node-c") })
        {
            Say.Line($"{pod.Name,-8} {node}  {pod.V4,-13} {pod.V6}");
        }
    }

    private void Pings()
    {
        Say.Step("ping across the subnets: through the tunnel, and directly inside one");
        foreach (var (from, to) in new[] { (_webA, _ingress.V4), (_webA, _ingress.V6), (_ingress, _webB.V4), (_webA, _webB.V6) })
        {
            var ping = ProcessRunner.Run("ip", new Dictionary<string, string>(), null, ["netns", "exec", from.Ns.Name, "ping", "-c", "1", "-W", "2", to.ToString()], inheritEnvironment: true);
            Expect(ping.ExitCode == 0, $"ping {to} from {from.Name}: {ping}");
            var time = ping.Stdout.Split('\n').FirstOrDefault(l => l.Contains("time=", StringComparison.Ordinal))?.Split("time=")[1] ?? "";
            Say.Ok($"{from.Name,-8} -> {to,-16} reply in {time}");
        }

        var mtu = Show.In(_webA.Ns, "cat", "/sys/class/net/eth0/mtu").Trim();
        Say.Line($"the pods' MTU: {mtu} (node links 1500, less 70 for VXLAN over IPv6, the smaller of the two families' overheads)");
    }

    private void HostPort()
    {
        Say.Step("hostPort: ingress on node-c maps 8080/tcp; reached from the router (outside the cluster) and from node-a");
        using var server4 = Responder.Start(_ingress.NetNs, "ingress (pod on node-c)", ProtocolType.Tcp, new IPEndPoint(IPAddress.Any, 80));
        using var server6 = Responder.Start(_ingress.NetNs, "ingress (pod on node-c)", ProtocolType.Tcp, new IPEndPoint(IPAddress.IPv6Any, 80));
        foreach (var (where, ns) in new[] { ("router", cluster.Router), ("node-a", cluster.A.NetNs) })
        {
            foreach (var address in new[] { "10.78.0.3", "fd78::3" })
            {
                var target = new IPEndPoint(IPAddress.Parse(address), 8080);
                var answer = Probe.Tcp(ns, target);
                Expect(answer.StartsWith("ingress (pod on node-c)", StringComparison.Ordinal), $"{where} -> {target}: {answer}");
                Say.Ok($"{where,-6} connects to {target,-16} answered by {answer}");
            }
        }

        Say.Line("node-c: nft list ruleset, the lines of port 8080 (what sluice-bridge's hostPort step wrote from the runtime's portMappings)");
        Say.Line("  " + string.Join("\n  ", Show.In(cluster.C.Ns, "nft", "list", "ruleset").Split('\n').Where(l => l.Contains("8080", StringComparison.Ordinal)).Select(l => l.Trim()).Take(6)));
    }
}
