using Sluice.Capture.Policy;

namespace Sluice.Redirect;

/// <summary>
/// Decides, from a pod's metadata and the plugin's settings, whether its traffic is captured
/// and with which policy. One function, no I/O: the table tests drive every branch of every
/// profile. A malformed annotation throws <see cref="PolicyException"/> naming it (fail
/// closed: an enabled pod never starts silently without capture).
/// </summary>
public static class CaptureDecider
{
    public const string MsmInjectLabel = "sidecar.mediastreamingmesh.io/inject";
    public const string IstioInject = "sidecar.istio.io/inject";
    public const string IstioStatus = "sidecar.istio.io/status";
    public const string IstioProxy = "istio-proxy";
    public const string IstioInit = "istio-init";
    public const string IstioDnsCaptureEnv = "ISTIO_META_DNS_CAPTURE";
    public const string SluicePrefix = "sluice.io/";
    public const string SluiceCaptureOptOut = "sluice.io/capture";

    /// <summary>Ports the Istio agent and Envoy serve themselves: never captured inbound, whatever the annotations say.</summary>
    public static readonly PortSet IstioStatusPorts = PortSet.Of(15020, 15021, 15090);

    private const uint DefaultProxyId = 1337;
    private const int IstioDnsPort = 15053;

    /// <summary>Per-pod settings: the annotation's name after its prefix, and the policy field it sets.</summary>
    private static readonly (string Name, string Field)[] TrafficAnnotations =
    [
        ("includeInboundPorts", PolicyFields.InboundPorts),
        ("excludeInboundPorts", PolicyFields.InboundExcludePorts),
        ("includeOutboundIPRanges", PolicyFields.OutboundCidrs),
        ("excludeOutboundIPRanges", PolicyFields.OutboundExcludeCidrs),
        ("includeOutboundPorts", PolicyFields.OutboundPorts),
        ("excludeOutboundPorts", PolicyFields.OutboundExcludePorts),
        ("excludeInterfaces", PolicyFields.ExcludeInterfaces),
        ("kubevirtInterfaces", PolicyFields.RerouteInterfaces),
    ];

    public static CaptureDecision Decide(RedirectSettings settings, PodFacts pod)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pod);
        if (settings.ExcludeNamespaces.Contains(pod.Namespace))
        {
            return CaptureDecision.Skip($"namespace {pod.Namespace} is excluded");
        }

        return settings.Profile switch
        {
            RedirectProfile.Msm => Msm(settings, pod),
            RedirectProfile.Istio => Istio(settings, pod),
            _ => Generic(settings, pod),
        };
    }

    private static CaptureDecision Msm(RedirectSettings settings, PodFacts pod)
    {
        if (!pod.Labels.TryGetValue(MsmInjectLabel, out var inject))
        {
            return CaptureDecision.Skip($"no label {MsmInjectLabel}");
        }

        if (string.Equals(inject.Trim(), "false", StringComparison.OrdinalIgnoreCase))
        {
            return CaptureDecision.Skip($"label {MsmInjectLabel} is false");
        }

        if (pod.Containers.Count == 0)
        {
            return CaptureDecision.Skip("the pod has no containers");
        }

        var policy = settings.StartPolicy();
        return CaptureDecision.With(policy.Build(), $"label {MsmInjectLabel}={inject}");
    }

    private static CaptureDecision Istio(RedirectSettings settings, PodFacts pod)
    {
        if (pod.InitContainers.Any(c => c.Name == IstioInit))
        {
            return CaptureDecision.Skip($"the pod has an {IstioInit} init container (it sets up its own capture)");
        }

        var proxy = pod.Containers.Concat(pod.InitContainers.Where(c => c.IsNativeSidecar)).FirstOrDefault(c => c.Name == IstioProxy);
        if (proxy is null)
        {
            return CaptureDecision.Skip($"no {IstioProxy} container");
        }

        // The label wins over the annotation.
        var inject = pod.Labels.TryGetValue(IstioInject, out var label) ? (Value: label, Where: "label")
            : pod.Annotations.TryGetValue(IstioInject, out var annotation) ? (Value: annotation, Where: "annotation")
            : (Value: (string?)null, Where: "");
        if (inject.Value is { } value && IsFalse(value))
        {
            return CaptureDecision.Skip($"{inject.Where} {IstioInject} is {value}");
        }

        if (!pod.Annotations.ContainsKey(IstioStatus))
        {
            return CaptureDecision.Skip($"no annotation {IstioStatus} (the sidecar was not injected)");
        }

        var policy = settings.StartPolicy();
        ApplyProxyIdentity(policy, proxy);
        Annotation(pod, policy, "sidecar.istio.io/interceptionMode", PolicyFields.InboundMode);
        foreach (var (name, field) in TrafficAnnotations)
        {
            Annotation(pod, policy, $"traffic.sidecar.istio.io/{name}", field);
        }

        Annotation(pod, policy, "istio.io/reroute-virtual-interfaces", PolicyFields.RerouteInterfaces);
        policy.Set(PolicyFields.InboundExcludePorts, "the Istio status ports", p => p with { InboundExcludePorts = p.InboundExcludePorts.Union(IstioStatusPorts) });
        if (proxy.Env.TryGetValue(IstioDnsCaptureEnv, out var dns) && IsTrue(dns))
        {
            policy.Set(PolicyFields.DnsPort, $"{IstioProxy} env {IstioDnsCaptureEnv}", p => p with { DnsPort = p.DnsPort ?? IstioDnsPort });
        }

        return CaptureDecision.With(policy.Build(), $"{IstioProxy} container and annotation {IstioStatus}");
    }

    private static CaptureDecision Generic(RedirectSettings settings, PodFacts pod)
    {
        if (pod.Annotations.TryGetValue(SluiceCaptureOptOut, out var optOut) && IsFalse(optOut))
        {
            return CaptureDecision.Skip($"annotation {SluiceCaptureOptOut} is {optOut}");
        }

        foreach (var (key, wanted) in settings.SelectorLabels)
        {
            if (!Matches(pod.Labels, key, wanted))
            {
                return CaptureDecision.Skip($"selector: label {key} is not {wanted}");
            }
        }

        foreach (var (key, wanted) in settings.SelectorAnnotations)
        {
            if (!Matches(pod.Annotations, key, wanted))
            {
                return CaptureDecision.Skip($"selector: annotation {key} is not {wanted}");
            }
        }

        if (settings.SelectorLabels.Count == 0 && settings.SelectorAnnotations.Count == 0)
        {
            return CaptureDecision.Skip("the selector is empty (it would select every pod)");
        }

        var policy = settings.StartPolicy();
        Annotation(pod, policy, SluicePrefix + "interceptionMode", PolicyFields.InboundMode);
        foreach (var (name, field) in TrafficAnnotations)
        {
            Annotation(pod, policy, SluicePrefix + name, field);
        }

        Annotation(pod, policy, SluicePrefix + "proxyUid", PolicyFields.ProxyUid);
        Annotation(pod, policy, SluicePrefix + "proxyGid", PolicyFields.ProxyGid);
        Annotation(pod, policy, SluicePrefix + "dnsPort", PolicyFields.DnsPort);
        return CaptureDecision.With(policy.Build(), "the pod matches the selector");
    }

    /// <summary>The proxy's user and group from its securityContext (as Istio reads them); 1337 when unset.</summary>
    private static void ApplyProxyIdentity(PolicyBuilder policy, ContainerFacts proxy)
    {
        var source = $"{IstioProxy} securityContext";
        var uid = proxy.RunAsUser is { } u ? PolicyBuilder.CheckedId(u, $"{source}.runAsUser") : DefaultProxyId;
        var gid = proxy.RunAsGroup is { } g ? PolicyBuilder.CheckedId(g, $"{source}.runAsGroup") : uid;
        policy.Set(PolicyFields.ProxyUid, $"{source}.runAsUser", p => p with { ProxyUid = uid });
        policy.Set(PolicyFields.ProxyGid, $"{source}.runAsGroup", p => p with { ProxyGid = gid });
    }

    private static void Annotation(PodFacts pod, PolicyBuilder policy, string annotation, string field)
    {
        if (!pod.Annotations.TryGetValue(annotation, out var value))
        {
            return;
        }

        try
        {
            policy.SetText(field, value, $"annotation {annotation}");
        }
        catch (PolicyException error) when (error.Value != value)
        {
            // A list with one bad element: name the whole value too, as the pod's author wrote it.
            throw new PolicyException($"annotation {annotation}", value, $"is not valid: '{error.Value}' {error.Problem}");
        }
    }

    private static bool Matches(IReadOnlyDictionary<string, string> present, string key, string wanted) =>
        present.TryGetValue(key, out var value) && (wanted == "*" || string.Equals(value, wanted, StringComparison.Ordinal));

    private static bool IsFalse(string value) => bool.TryParse(value.Trim(), out var b) ? !b : value.Trim() is "0" or "no" or "off";

    private static bool IsTrue(string value) => bool.TryParse(value.Trim(), out var b) ? b : value.Trim() is "1" or "yes" or "on";
}
