using System.Globalization;
using Sluice.Capture.Policy;

namespace Sluice.Redirect;

/// <summary>
/// A capture policy built up from a preset by settings from several places (the plugin
/// configuration, then the pod's annotations), each remembered with where it came from, so
/// that a bad value, or a bad combination found when validating, names that place: the
/// configuration field or the annotation.
/// </summary>
internal sealed class PolicyBuilder(CapturePolicy start)
{
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    public CapturePolicy Policy { get; private set; } = start;

    /// <summary>An independent copy: same policy, same remembered sources.</summary>
    public PolicyBuilder Clone()
    {
        var copy = new PolicyBuilder(Policy);
        foreach (var (field, source) in _sources)
        {
            copy._sources[field] = source;
        }

        return copy;
    }

    /// <summary>Sets one field from text in the annotations' syntax; <paramref name="source"/> names it in errors.</summary>
    public void SetText(string field, string value, string source)
    {
        _sources[field] = source;
        var text = value.Trim();
        Policy = field switch
        {
            PolicyFields.InboundMode => Policy with { InboundMode = InboundModes.Parse(text, source) },
            PolicyFields.InboundPorts => Policy with { InboundPorts = PortSet.Parse(text, source) },
            PolicyFields.InboundExcludePorts => Policy with { InboundExcludePorts = PortSet.Parse(text, source) },
            PolicyFields.OutboundCidrs => Policy with { OutboundCidrs = CidrSet.Parse(text, source) },
            PolicyFields.OutboundExcludeCidrs => Policy with { OutboundExcludeCidrs = CidrSet.Parse(text, source) },
            PolicyFields.OutboundPorts => Policy with { OutboundPorts = PortSet.Parse(text, source) },
            PolicyFields.OutboundExcludePorts => Policy with { OutboundExcludePorts = PortSet.Parse(text, source) },
            PolicyFields.MediaUdpPorts => Policy with { MediaUdpPorts = PortSet.Parse(text, source) },
            PolicyFields.ExcludeInterfaces => Policy with { ExcludeInterfaces = InterfaceNames.Parse(text, source) },
            PolicyFields.RerouteInterfaces => Policy with { RerouteInterfaces = InterfaceNames.Parse(text, source) },
            PolicyFields.OutboundPort => Policy with { OutboundPort = Port(text, source) },
            PolicyFields.InboundPort => Policy with { InboundPort = Port(text, source) },
            PolicyFields.DnsPort => Policy with { DnsPort = Port(text, source) },
            PolicyFields.MediaPort => Policy with { MediaPort = Port(text, source) },
            PolicyFields.ProxyUid => Policy with { ProxyUid = Id(text, source) },
            PolicyFields.ProxyGid => Policy with { ProxyGid = Id(text, source) },
            PolicyFields.TproxyMark => Policy with { TproxyMark = Id(text, source) },
            PolicyFields.TproxyTable => Policy with { TproxyTable = Table(text, source) },
            PolicyFields.Families => Policy with { Families = Families(text, source) },
            _ => throw new ArgumentException($"no such capture setting: {field}", nameof(field)),
        };
    }

    /// <summary>Applies an edit that needs no parsing (a number or switch from typed configuration).</summary>
    public void Set(string field, string source, Func<CapturePolicy, CapturePolicy> edit)
    {
        _sources[field] = source;
        Policy = edit(Policy);
    }

    /// <summary>The policy, validated: a bad combination names the setting's source.</summary>
    public CapturePolicy Build()
    {
        Policy.Validate(field => _sources.TryGetValue(field, out var source) ? source : field);
        return Policy;
    }

    /// <summary>Checks a number from typed configuration is a port, naming <paramref name="source"/> if not.</summary>
    public static int CheckedPort(long value, string source) =>
        value is >= 1 and <= 65535 ? (int)value : throw new PolicyException(source, value.ToString(CultureInfo.InvariantCulture), "is not a port (1-65535)");

    /// <summary>Checks a number from typed configuration is a user, group or mark id (0 to 2^32-1).</summary>
    public static uint CheckedId(long value, string source) =>
        value is >= 0 and <= uint.MaxValue ? (uint)value : throw new PolicyException(source, value.ToString(CultureInfo.InvariantCulture), "is not an id (0-4294967295)");

    private static int Port(string text, string source) => PortSet.ParsePort(text, source);

    /// <summary>A routing table number: the policy keeps it as an int, so 2^31 and above are refused here, not overflowed.</summary>
    private static int Table(string text, string source) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var table) ? table : throw new PolicyException(source, text, "is not a routing table number (1-2147483647)");

    private static uint Id(string text, string source) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : throw new PolicyException(source, text, "is not an id (0-4294967295)");

    private static CaptureFamilies Families(string text, string source) => text.ToLowerInvariant() switch
    {
        "dual" or "both" or "dual-stack" => CaptureFamilies.Both,
        "ipv4" => CaptureFamilies.Ipv4,
        "ipv6" => CaptureFamilies.Ipv6,
        _ => throw new PolicyException(source, text, "is not a family choice (dual, ipv4 or ipv6)"),
    };
}
