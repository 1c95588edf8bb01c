namespace Sluice.Capture.Policy;

/// <summary>Named starting points; flags and annotations change them field by field.</summary>
public static class CapturePresets
{
    /// <summary>
    /// The MSM media-streaming mesh: outbound RTSP (TCP 554) to the stub on 8554, the stub's UID
    /// 1337 exempt, loopback exempt, nothing inbound. Unlike msm-iptables: IPv6 too, and idempotent.
    /// </summary>
    public static CapturePolicy Msm { get; } = new()
    {
        OutboundPort = 8554,
        OutboundPorts = PortSet.Of(554),
        ProxyUid = 1337,
        ProxyGid = null,
    };

    /// <summary>Istio's sidecar: outbound to 15001, all inbound to 15006 except the agent's and Envoy's own ports.</summary>
    public static CapturePolicy Istio { get; } = new()
    {
        OutboundPort = 15001,
        InboundPort = 15006,
        ProxyUid = 1337,
        ProxyGid = 1337,
        InboundPorts = PortSet.Every,
        InboundExcludePorts = PortSet.Of(15020, 15021, 15090),
        OutboundCidrs = CidrSet.Every,
    };

    /// <summary>No preset: istio-iptables' defaults, capturing nothing until told what.</summary>
    public static CapturePolicy Generic { get; } = new();

    public static IReadOnlyList<string> Names { get; } = ["msm", "istio", "generic"];

    public static CapturePolicy? Find(string name) => name.Trim().ToLowerInvariant() switch
    {
        "msm" => Msm,
        "istio" => Istio,
        "generic" or "none" => Generic,
        _ => null,
    };
}
