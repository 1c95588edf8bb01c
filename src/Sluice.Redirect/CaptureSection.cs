using Sluice.Capture.Policy;
using Sluice.Json;

namespace Sluice.Redirect;

/// <summary>
/// The capture policy's settings in the configuration, each optional (absent: the profile's
/// value). Each key is declared once with the policy field it sets, and every value is handed to
/// the policy as text in the annotations' syntax, so a setting means the same in the
/// configuration and in a pod's annotation. Lists are strings (<c>"80,443,8000-8100"</c>,
/// <c>"*"</c>) or arrays.
/// </summary>
public sealed class CaptureSection
{
    /// <summary>The keys, each with the policy field it sets (<see cref="PolicyFields"/>).</summary>
    public static IReadOnlyList<(string Key, string Field)> PolicyKeys { get; } =
    [
        ("outboundPort", PolicyFields.OutboundPort),
        ("inboundPort", PolicyFields.InboundPort),
        ("dnsPort", PolicyFields.DnsPort),
        ("mediaPort", PolicyFields.MediaPort),
        ("proxyUid", PolicyFields.ProxyUid),
        ("proxyGid", PolicyFields.ProxyGid),
        ("tproxyMark", PolicyFields.TproxyMark),
        ("tproxyTable", PolicyFields.TproxyTable),
        ("inboundMode", PolicyFields.InboundMode),
        ("families", PolicyFields.Families),
        ("inboundPorts", PolicyFields.InboundPorts),
        ("inboundExcludePorts", PolicyFields.InboundExcludePorts),
        ("outboundCidrs", PolicyFields.OutboundCidrs),
        ("outboundExcludeCidrs", PolicyFields.OutboundExcludeCidrs),
        ("outboundPorts", PolicyFields.OutboundPorts),
        ("outboundExcludePorts", PolicyFields.OutboundExcludePorts),
        ("excludeInterfaces", PolicyFields.ExcludeInterfaces),
        ("rerouteInterfaces", PolicyFields.RerouteInterfaces),
        ("mediaUdpPorts", PolicyFields.MediaUdpPorts),
    ];

    public static JsonShape<CaptureSection> Shape { get; } = Declare();

    /// <summary>The settings given, by key, as text (numbers as written, lists joined with commas), in the order of <see cref="PolicyKeys"/>.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    /// <summary><c>redirectDns</c>: capture DNS to the proxy (its DNS port, 15053 unless set).</summary>
    public bool? RedirectDns { get; set; }

    /// <summary><c>dropInvalid</c>: drop inbound packets conntrack finds invalid.</summary>
    public bool? DropInvalid { get; set; }

    private static JsonShape<CaptureSection> Declare()
    {
        var shape = new JsonShape<CaptureSection>(() => new CaptureSection());
        foreach (var (key, _) in PolicyKeys)
        {
            shape.Field(key, JsonCodecs.TextOrList, s => s.Values.GetValueOrDefault(key), (s, v) => Set(s, key, v));
        }

        return shape
            .Boolean("redirectDns", s => s.RedirectDns, (s, v) => s.RedirectDns = v)
            .Boolean("dropInvalid", s => s.DropInvalid, (s, v) => s.DropInvalid = v);
    }

    private static void Set(CaptureSection section, string key, string? value)
    {
        if (value is null)
        {
            section.Values.Remove(key);
        }
        else
        {
            section.Values[key] = value;
        }
    }
}
