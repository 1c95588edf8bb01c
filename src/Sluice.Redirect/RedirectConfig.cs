using Sluice.Cni.Config;
using Sluice.Json;

namespace Sluice.Redirect;

/// <summary>
/// sluice-redirect's configuration, every key declared once in <see cref="Shape"/>. Keys are
/// matched without regard to case, so MSM's <c>kubeConfig</c> and Istio's <c>kubeconfig</c> both
/// work; Istio's snake_case keys (<c>exclude_namespaces</c>, <c>log_level</c>) are other spellings
/// of the same keys.
/// </summary>
public sealed class RedirectConfig : PluginConfig
{
    public static JsonShape<RedirectConfig> Shape { get; } = new JsonShape<RedirectConfig>(() => new RedirectConfig())
        .Include(PluginConfig.Keys)
        .Alias("log_level", "logLevel")
        .Object("kubernetes", KubernetesSection.Shape, c => c.Kubernetes, (c, v) => c.Kubernetes = v)
        .Text("profile", c => c.Profile, (c, v) => c.Profile = v)
        .Object("capture", CaptureSection.Shape, c => c.Capture, (c, v) => c.Capture = v)
        .Object("selector", SelectorSection.Shape, c => c.Selector, (c, v) => c.Selector = v)
        .Text("backend", c => c.Backend, (c, v) => c.Backend = v)
        .Object("podLookup", PodLookupSection.Shape, c => c.PodLookup, (c, v) => c.PodLookup = v)
        .Text("failurePolicy", c => c.FailurePolicy, (c, v) => c.FailurePolicy = v)
        .Text("runtimeLoopback", c => c.RuntimeLoopback, (c, v) => c.RuntimeLoopback = v);

    public KubernetesSection? Kubernetes { get; set; }

    /// <summary><c>msm</c>, <c>istio</c> or <c>generic</c>.</summary>
    public string? Profile { get; set; }

    /// <summary>Capture settings on top of the profile's preset (pods' annotations come on top of these).</summary>
    public CaptureSection? Capture { get; set; }

    /// <summary>Generic profile: which pods are mesh-enabled.</summary>
    public SelectorSection? Selector { get; set; }

    /// <summary><c>auto</c>, <c>nft</c> (or <c>nftables</c>) or <c>iptables</c>.</summary>
    public string? Backend { get; set; }

    public PodLookupSection? PodLookup { get; set; }

    /// <summary><c>fail</c> (default: an enabled pod never starts without capture) or <c>ignore</c>.</summary>
    public string? FailurePolicy { get; set; }

    /// <summary>
    /// When the runtime's loopback step runs: <c>auto</c> (default: CRI-O recognised as the caller,
    /// otherwise <c>beside-chain</c>), <c>beside-chain</c> (containerd's go-cni) or <c>before-chain</c>.
    /// </summary>
    public string? RuntimeLoopback { get; set; }
}

/// <summary>Where the API server is and which namespaces to leave alone.</summary>
public sealed class KubernetesSection
{
    public static JsonShape<KubernetesSection> Shape { get; } = new JsonShape<KubernetesSection>(() => new KubernetesSection())
        .Text("kubeconfig", s => s.Kubeconfig, (s, v) => s.Kubeconfig = v)
        .TextList("excludeNamespaces", s => s.ExcludeNamespaces, (s, v) => s.ExcludeNamespaces = v)
        .Alias("exclude_namespaces", "excludeNamespaces")
        .Text("nodeName", s => s.NodeName, (s, v) => s.NodeName = v)
        .Alias("node_name", "nodeName")
        .Text("agentSocket", s => s.AgentSocket, (s, v) => s.AgentSocket = v);

    public string? Kubeconfig { get; set; }

    public List<string>? ExcludeNamespaces { get; set; }

    public string? NodeName { get; set; }

    public string? AgentSocket { get; set; }
}

/// <summary>How long the pod lookup may take: per request, attempts, and in total.</summary>
public sealed class PodLookupSection
{
    public static JsonShape<PodLookupSection> Shape { get; } = new JsonShape<PodLookupSection>(() => new PodLookupSection())
        .Int32("timeoutMs", s => s.TimeoutMs, (s, v) => s.TimeoutMs = v)
        .Int32("attempts", s => s.Attempts, (s, v) => s.Attempts = v)
        .Int32("totalMs", s => s.TotalMs, (s, v) => s.TotalMs = v);

    public int? TimeoutMs { get; set; }

    public int? Attempts { get; set; }

    public int? TotalMs { get; set; }
}

/// <summary>Generic profile: a pod is enabled when every listed label and annotation has the given value (<c>*</c>: any value).</summary>
public sealed class SelectorSection
{
    public static JsonShape<SelectorSection> Shape { get; } = new JsonShape<SelectorSection>(() => new SelectorSection())
        .TextMap("labels", s => s.Labels, (s, v) => s.Labels = v)
        .TextMap("annotations", s => s.Annotations, (s, v) => s.Annotations = v);

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}
