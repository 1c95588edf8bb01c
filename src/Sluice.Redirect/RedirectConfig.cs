using System.Text.Json;
using System.Text.Json.Serialization;
using Sluice.Cni.Config;
using Sluice.Cni.Logging;

namespace Sluice.Redirect;

/// <summary>
/// sluice-redirect's configuration. Keys are matched without regard to case, so MSM's
/// <c>kubeConfig</c> and Istio's <c>kubeconfig</c> both work; Istio's snake_case keys
/// (<c>exclude_namespaces</c>, <c>log_level</c>) are accepted as aliases.
/// </summary>
public sealed class RedirectConfig : NetworkConfig, ILogOptions
{
    [JsonPropertyName("kubernetes")]
    public KubernetesSection? Kubernetes { get; set; }

    /// <summary><c>msm</c>, <c>istio</c> or <c>generic</c>.</summary>
    [JsonPropertyName("profile")]
    public string? Profile { get; set; }

    /// <summary>Capture settings on top of the profile's preset (pods' annotations come on top of these).</summary>
    [JsonPropertyName("capture")]
    public CaptureSection? Capture { get; set; }

    /// <summary>Generic profile: which pods are mesh-enabled.</summary>
    [JsonPropertyName("selector")]
    public SelectorSection? Selector { get; set; }

    /// <summary><c>auto</c>, <c>nft</c> (or <c>nftables</c>) or <c>iptables</c>.</summary>
    [JsonPropertyName("backend")]
    public string? Backend { get; set; }

    [JsonPropertyName("podLookup")]
    public PodLookupSection? PodLookup { get; set; }

    /// <summary><c>fail</c> (default: an enabled pod never starts without capture) or <c>ignore</c>.</summary>
    [JsonPropertyName("failurePolicy")]
    public string? FailurePolicy { get; set; }

    [JsonPropertyName("logLevel")]
    public string? LogLevelSetting { get; set; }

    [JsonPropertyName("log_level")]
    public string? LogLevelSnakeCase { get; set; }

    [JsonPropertyName("logFile")]
    public string? LogFile { get; set; }

    [JsonPropertyName("logSocket")]
    public string? LogSocket { get; set; }

    string? ILogOptions.LogLevel => LogLevelSetting ?? LogLevelSnakeCase;
}

/// <summary>Where the API server is and which namespaces to leave alone.</summary>
public sealed class KubernetesSection
{
    [JsonPropertyName("kubeconfig")]
    public string? Kubeconfig { get; set; }

    [JsonPropertyName("excludeNamespaces")]
    public List<string>? ExcludeNamespaces { get; set; }

    [JsonPropertyName("exclude_namespaces")]
    public List<string>? ExcludeNamespacesSnakeCase { get; set; }

    [JsonPropertyName("nodeName")]
    public string? NodeName { get; set; }

    [JsonPropertyName("agentSocket")]
    public string? AgentSocket { get; set; }

    [JsonPropertyName("node_name")]
    public string? NodeNameSnakeCase { get; set; }
}

/// <summary>How long the pod lookup may take: per request, attempts, and in total.</summary>
public sealed class PodLookupSection
{
    [JsonPropertyName("timeoutMs")]
    public int? TimeoutMs { get; set; }

    [JsonPropertyName("attempts")]
    public int? Attempts { get; set; }

    [JsonPropertyName("totalMs")]
    public int? TotalMs { get; set; }
}

/// <summary>Generic profile: a pod is enabled when every listed label and annotation has the given value (<c>*</c>: any value).</summary>
public sealed class SelectorSection
{
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>
/// The capture policy's settings, each optional (absent: the profile's value). Port and network
/// lists are strings in the annotations' syntax (<c>"80,443,8000-8100"</c>, <c>"*"</c>) or arrays.
/// </summary>
public sealed class CaptureSection
{
    [JsonPropertyName("outboundPort")]
    public int? OutboundPort { get; set; }

    [JsonPropertyName("inboundPort")]
    public int? InboundPort { get; set; }

    [JsonPropertyName("proxyUid")]
    public long? ProxyUid { get; set; }

    [JsonPropertyName("proxyGid")]
    public long? ProxyGid { get; set; }

    [JsonPropertyName("inboundMode")]
    public string? InboundMode { get; set; }

    [JsonPropertyName("tproxyMark")]
    public long? TproxyMark { get; set; }

    [JsonPropertyName("tproxyTable")]
    public int? TproxyTable { get; set; }

    [JsonPropertyName("inboundPorts")]
    public JsonElement? InboundPorts { get; set; }

    [JsonPropertyName("inboundExcludePorts")]
    public JsonElement? InboundExcludePorts { get; set; }

    [JsonPropertyName("outboundCidrs")]
    public JsonElement? OutboundCidrs { get; set; }

    [JsonPropertyName("outboundExcludeCidrs")]
    public JsonElement? OutboundExcludeCidrs { get; set; }

    [JsonPropertyName("outboundPorts")]
    public JsonElement? OutboundPorts { get; set; }

    [JsonPropertyName("outboundExcludePorts")]
    public JsonElement? OutboundExcludePorts { get; set; }

    [JsonPropertyName("excludeInterfaces")]
    public JsonElement? ExcludeInterfaces { get; set; }

    [JsonPropertyName("rerouteInterfaces")]
    public JsonElement? RerouteInterfaces { get; set; }

    [JsonPropertyName("redirectDns")]
    public bool? RedirectDns { get; set; }

    [JsonPropertyName("dnsPort")]
    public int? DnsPort { get; set; }

    [JsonPropertyName("dropInvalid")]
    public bool? DropInvalid { get; set; }

    [JsonPropertyName("mediaUdpPorts")]
    public JsonElement? MediaUdpPorts { get; set; }

    [JsonPropertyName("mediaPort")]
    public int? MediaPort { get; set; }

    /// <summary><c>dual</c> (default), <c>ipv4</c> or <c>ipv6</c>.</summary>
    [JsonPropertyName("families")]
    public string? Families { get; set; }
}

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RedirectConfig))]
internal sealed partial class RedirectJsonContext : JsonSerializerContext;
