using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Cni;

namespace Sluice.Redirect;

/// <summary>Which mesh's rules decide for a pod.</summary>
public enum RedirectProfile
{
    Msm,
    Istio,
    Generic,
}

/// <summary>What happens when the pod cannot be looked up: fail the ADD, or let the pod start without capture.</summary>
public enum FailurePolicy
{
    Fail,
    Ignore,
}

/// <summary>
/// sluice-redirect's configuration, checked and typed. Every bad value is a CNI error 7 naming
/// the field and the value; nothing is looked up or touched before the whole configuration is valid.
/// </summary>
public sealed class RedirectSettings
{
    public const string DefaultKubeconfig = "/etc/cni/net.d/sluice.d/sluice-kubeconfig";

    public const string DefaultAgentSocket = "/var/run/sluice/pods.sock";

    private readonly PolicyBuilder _policy;

    private RedirectSettings(PolicyBuilder policy) => _policy = policy;

    public RedirectProfile Profile { get; private init; }

    public string Kubeconfig { get; private init; } = DefaultKubeconfig;

    public IReadOnlySet<string> ExcludeNamespaces { get; private init; } = new HashSet<string>();

    public string? NodeName { get; private init; }

    /// <summary>Where sluice-agent answers pod lookups from its cache; null: always ask the API server.</summary>
    public string? AgentSocket { get; private init; } = DefaultAgentSocket;

    public CaptureBackendKind Backend { get; private init; }

    public TimeSpan LookupTimeout { get; private init; } = TimeSpan.FromSeconds(2);

    public int LookupAttempts { get; private init; } = 3;

    public TimeSpan LookupTotal { get; private init; } = TimeSpan.FromSeconds(8);

    public FailurePolicy FailurePolicy { get; private init; }

    /// <summary>When the runtime's loopback step runs relative to the chain; null (<c>auto</c>): decided per call from the calling runtime.</summary>
    public RuntimeLoopbackOrder? RuntimeLoopback { get; private init; }

    /// <summary>Generic profile: labels every enabled pod has (value <c>*</c>: any).</summary>
    public IReadOnlyDictionary<string, string> SelectorLabels { get; private init; } = new Dictionary<string, string>();

    /// <summary>Generic profile: annotations every enabled pod has (value <c>*</c>: any).</summary>
    public IReadOnlyDictionary<string, string> SelectorAnnotations { get; private init; } = new Dictionary<string, string>();

    /// <summary>The profile's preset with the configuration's capture settings applied (validated).</summary>
    public CapturePolicy BasePolicy => _policy.Policy;

    /// <summary>A builder starting from <see cref="BasePolicy"/>, for a pod's annotations to edit.</summary>
    internal PolicyBuilder StartPolicy() => _policy.Clone();

    /// <summary>The settings of a sluice-redirect configuration given as JSON (a conflist entry, a file); <paramref name="what"/> names it in errors.</summary>
    public static RedirectSettings Read(ReadOnlyMemory<byte> json, string what) =>
        From(Cni.Json.CniJson.Read(json, RedirectConfig.Shape, what));

    public static RedirectSettings From(RedirectConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        try
        {
            return Parse(config);
        }
        catch (PolicyException error)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig, error.Message);
        }
    }

    private static RedirectSettings Parse(RedirectConfig config)
    {
        var profile = (config.Profile ?? "generic").Trim().ToLowerInvariant() switch
        {
            "msm" => RedirectProfile.Msm,
            "istio" => RedirectProfile.Istio,
            "generic" => RedirectProfile.Generic,
            _ => throw Invalid("profile", config.Profile, "is not a profile (msm, istio or generic)"),
        };
        var preset = profile switch
        {
            RedirectProfile.Msm => CapturePresets.Msm,
            RedirectProfile.Istio => CapturePresets.Istio,
            _ => CapturePresets.Generic,
        };
        var policy = new PolicyBuilder(preset);
        if (config.Capture is { } capture)
        {
            ApplyCapture(policy, capture);
        }

        policy.Build();

        var kubernetes = config.Kubernetes ?? new KubernetesSection();
        var lookup = config.PodLookup ?? new PodLookupSection();
        var timeout = Milliseconds(lookup.TimeoutMs, 2000, "podLookup.timeoutMs", 100, 60_000);
        var attempts = lookup.Attempts ?? 3;
        if (attempts is < 1 or > 10)
        {
            throw Invalid("podLookup.attempts", attempts.ToString(System.Globalization.CultureInfo.InvariantCulture), "is not between 1 and 10");
        }

        var total = Milliseconds(lookup.TotalMs, 8000, "podLookup.totalMs", 100, 120_000);
        return new RedirectSettings(policy)
        {
            Profile = profile,
            Kubeconfig = string.IsNullOrWhiteSpace(kubernetes.Kubeconfig) ? DefaultKubeconfig : kubernetes.Kubeconfig,
            AgentSocket = kubernetes.AgentSocket switch
            {
                null => DefaultAgentSocket,
                "" => null,
                var path when path.StartsWith('/') => path,
                var path => throw Invalid("kubernetes.agentSocket", path, "is not an absolute path (\"\" turns agent lookups off)"),
            },
            ExcludeNamespaces = (kubernetes.ExcludeNamespaces ?? []).ToHashSet(StringComparer.Ordinal),
            NodeName = kubernetes.NodeName,
            Backend = CaptureBackends.Parse(config.Backend ?? "auto", "backend"),
            LookupTimeout = timeout,
            LookupAttempts = attempts,
            LookupTotal = total,
            FailurePolicy = (config.FailurePolicy ?? "fail").Trim().ToLowerInvariant() switch
            {
                "fail" => FailurePolicy.Fail,
                "ignore" => FailurePolicy.Ignore,
                _ => throw Invalid("failurePolicy", config.FailurePolicy, "is not a failure policy (fail or ignore)"),
            },
            RuntimeLoopback = (config.RuntimeLoopback ?? "auto").Trim().ToLowerInvariant() switch
            {
                "auto" => null,
                "beside-chain" => RuntimeLoopbackOrder.BesideChain,
                "before-chain" => RuntimeLoopbackOrder.BeforeChain,
                _ => throw Invalid("runtimeLoopback", config.RuntimeLoopback, "is not a loopback order (auto, beside-chain or before-chain)"),
            },
            SelectorLabels = config.Selector?.Labels ?? (config.Selector is null ? new Dictionary<string, string> { ["sluice.io/capture"] = "true" } : []),
            SelectorAnnotations = config.Selector?.Annotations ?? [],
        };
    }

    private static void ApplyCapture(PolicyBuilder policy, CaptureSection capture)
    {
        const string At = "capture.";
        foreach (var (key, field) in CaptureSection.PolicyKeys)
        {
            if (capture.Values.TryGetValue(key, out var text))
            {
                policy.SetText(field, text, At + key);
            }
        }

        if (capture.RedirectDns is { } redirect)
        {
            policy.Set(PolicyFields.DnsPort, At + "redirectDns", p => p with { DnsPort = redirect ? p.DnsPort ?? 15053 : null });
        }

        if (capture.DropInvalid is { } drop)
        {
            policy.Set("drop invalid", At + "dropInvalid", p => p with { DropInvalid = drop });
        }
    }

    private static TimeSpan Milliseconds(int? value, int fallback, string field, int min, int max)
    {
        var ms = value ?? fallback;
        return ms >= min && ms <= max
            ? TimeSpan.FromMilliseconds(ms)
            : throw Invalid(field, ms.ToString(System.Globalization.CultureInfo.InvariantCulture), $"is not between {min} and {max}");
    }

    private static PolicyException Invalid(string field, string? value, string problem) => new(field, value ?? "", problem);
}
