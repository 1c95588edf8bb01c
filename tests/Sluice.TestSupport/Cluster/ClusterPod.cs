using System.Net;
using Sluice.Linux.Namespaces;

namespace Sluice.TestSupport.Cluster;

/// <summary>A pod sandbox on a <see cref="ClusterNode"/>: its Kubernetes name, its network namespace and the addresses its ADD gave it.</summary>
public sealed record ClusterPod(string Name, string KubeNamespace, TestNetns Ns, NetNs NetNs, IPAddress V4, IPAddress V6);
