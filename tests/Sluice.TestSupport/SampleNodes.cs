namespace Sluice.TestSupport;

/// <summary>Nodes as a real API server serves them (a kubeadm node after kube-controller-manager allocated its pod CIDRs). Shared by the agent tests and the demo.</summary>
public static class SampleNodes
{
    /// <summary>
    /// A Ready node with <paramref name="podCidrs"/> in spec.podCIDRs (the first also in spec.podCIDR),
    /// <paramref name="internalIps"/> as InternalIP addresses and <paramref name="taints"/> (key, effect) in spec.taints.
    /// </summary>
    public static string Node(string name, string[] podCidrs, string[] internalIps, (string Key, string Effect)[]? taints = null)
    {
        ArgumentNullException.ThrowIfNull(podCidrs);
        ArgumentNullException.ThrowIfNull(internalIps);
        var cidrs = string.Join(", ", podCidrs.Select(c => $"\"{c}\""));
        var podCidr = podCidrs.Length > 0 ? $"\"podCIDR\": \"{podCidrs[0]}\", " : "";
        var taintList = taints is { Length: > 0 } ? ", \"taints\": [" + string.Join(", ", taints.Select(t => $$"""{"key": "{{t.Key}}", "effect": "{{t.Effect}}"}""")) + "]" : "";
        var addresses = string.Join(", ", internalIps.Select(ip => $$"""{"type": "InternalIP", "address": "{{ip}}"}""").Append($$"""{"type": "Hostname", "address": "{{name}}"}"""));
        return $$"""
            {
              "kind": "Node",
              "apiVersion": "v1",
              "metadata": {
                "name": "{{name}}",
                "uid": "4d3a1f0e-{{name.Aggregate(7, (h, c) => ((h * 31) + c) & 0xffff):x4}}-4b6c-8e2f-6a1d9c7b5e30",
                "resourceVersion": "48211",
                "creationTimestamp": "2026-11-30T09:12:44Z",
                "labels": {"kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "{{name}}", "kubernetes.io/os": "linux"},
                "annotations": {"kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock", "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"}
              },
              "spec": {{{podCidr}}"podCIDRs": [{{cidrs}}]{{taintList}}},
              "status": {
                "capacity": {"cpu": "2", "memory": "24Gi", "pods": "110"},
                "allocatable": {"cpu": "2", "memory": "23Gi", "pods": "110"},
                "conditions": [
                  {"type": "MemoryPressure", "status": "False", "reason": "KubeletHasSufficientMemory", "lastHeartbeatTime": "2026-12-01T10:00:00Z", "lastTransitionTime": "2026-11-30T09:12:44Z"},
                  {"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status", "lastHeartbeatTime": "2026-12-01T10:00:00Z", "lastTransitionTime": "2026-11-30T09:13:10Z"}
                ],
                "addresses": [{{addresses}}],
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250} },
                "nodeInfo": {"kubeletVersion": "v1.31.2", "containerRuntimeVersion": "containerd://1.6.20", "kernelVersion": "6.1.0-27-amd64", "osImage": "Debian GNU/Linux 12 (bookworm)", "architecture": "amd64", "operatingSystem": "linux"}
              }
            }
            """;
    }
}
