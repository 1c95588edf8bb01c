using System.Net.Sockets;

namespace Sluice.Capture.Policy;

/// <summary>
/// What a pod's traffic capture does: which connections go to the sidecar proxy and which go
/// direct. The defaults are istio-iptables' (ports 15001/15006, proxy UID and GID 1337, nothing
/// captured until inbound ports or outbound networks/ports are listed) except that both IP
/// families are covered: leaving IPv6 uncaptured lets a dual-stack app bypass the proxy.
/// Loop safety is not optional: the proxy's own traffic, loopback destinations, and excluded
/// ports always bypass capture.
/// </summary>
public sealed record CapturePolicy
{
    /// <summary>The mark the proxy's own connections to the pod over lo carry in TPROXY mode (as Istio's 1338).</summary>
    public const uint ProxyToSelfMark = 1338;

    /// <summary>Where outbound TCP is redirected (Istio 15001, MSM 8554); null turns outbound capture off.</summary>
    public int? OutboundPort { get; init; } = 15001;

    /// <summary>Where inbound TCP is redirected or delivered by TPROXY (Istio 15006).</summary>
    public int InboundPort { get; init; } = 15006;

    /// <summary>The proxy's UID: its traffic is never captured. Null: no UID exemption.</summary>
    public uint? ProxyUid { get; init; } = 1337;

    /// <summary>The proxy's GID: its traffic is never captured. Null: no GID exemption.</summary>
    public uint? ProxyGid { get; init; } = 1337;

    public InboundMode InboundMode { get; init; } = InboundMode.Redirect;

    /// <summary>TPROXY mode: the mark of diverted packets, and the policy-routing table that delivers them locally.</summary>
    public uint TproxyMark { get; init; } = 1337;

    public int TproxyTable { get; init; } = 133;

    /// <summary>Inbound ports captured: <c>*</c> or a list; empty turns inbound capture off.</summary>
    public PortSet InboundPorts { get; init; } = PortSet.None;

    /// <summary>Inbound ports that reach the app directly (meaningful with <c>*</c>).</summary>
    public PortSet InboundExcludePorts { get; init; } = PortSet.None;

    /// <summary>Outbound destinations captured: <c>*</c> or a list of networks; empty: none by address.</summary>
    public CidrSet OutboundCidrs { get; init; } = CidrSet.None;

    /// <summary>Outbound destinations that go direct.</summary>
    public CidrSet OutboundExcludeCidrs { get; init; } = CidrSet.None;

    /// <summary>Outbound TCP destination ports captured whatever the destination address (MSM: 554).</summary>
    public PortSet OutboundPorts { get; init; } = PortSet.None;

    /// <summary>Outbound destination ports (TCP and UDP) that always go direct.</summary>
    public PortSet OutboundExcludePorts { get; init; } = PortSet.None;

    /// <summary>Interfaces whose traffic, in and out, is never captured.</summary>
    public IReadOnlyList<string> ExcludeInterfaces { get; init; } = [];

    /// <summary>Virtual interfaces (KubeVirt) whose inbound traffic is treated as outbound.</summary>
    public IReadOnlyList<string> RerouteInterfaces { get; init; } = [];

    /// <summary>DNS capture: TCP and UDP to port 53 go to this port (Istio's agent: 15053); null: off.</summary>
    public int? DnsPort { get; init; }

    /// <summary>Drop packets conntrack marks INVALID (out-of-window segments) instead of letting them reset connections.</summary>
    public bool DropInvalid { get; init; }

    /// <summary>Outbound UDP destination ports (media: RTP/RTCP) redirected to <see cref="MediaPort"/>.</summary>
    public PortSet MediaUdpPorts { get; init; } = PortSet.None;

    /// <summary>Where captured media UDP goes (the MSM stub's RTP port 8050).</summary>
    public int? MediaPort { get; init; }

    public CaptureFamilies Families { get; init; } = CaptureFamilies.Both;

    public bool CapturesInbound => !InboundPorts.IsEmpty;

    public bool CapturesOutbound => OutboundPort is not null && (!OutboundCidrs.IsEmpty || !OutboundPorts.IsEmpty);

    public bool CapturesMedia => MediaPort is not null && !MediaUdpPorts.IsEmpty;

    /// <summary>
    /// Two policies are equal when they ask for the same rules: every setting alike, the interface
    /// lists item by item (a record compares lists by reference).
    /// </summary>
    public bool Equals(CapturePolicy? other) =>
        other is not null &&
        OutboundPort == other.OutboundPort && InboundPort == other.InboundPort &&
        ProxyUid == other.ProxyUid && ProxyGid == other.ProxyGid &&
        InboundMode == other.InboundMode && TproxyMark == other.TproxyMark && TproxyTable == other.TproxyTable &&
        InboundPorts.Equals(other.InboundPorts) && InboundExcludePorts.Equals(other.InboundExcludePorts) &&
        OutboundCidrs.Equals(other.OutboundCidrs) && OutboundExcludeCidrs.Equals(other.OutboundExcludeCidrs) &&
        OutboundPorts.Equals(other.OutboundPorts) && OutboundExcludePorts.Equals(other.OutboundExcludePorts) &&
        ExcludeInterfaces.SequenceEqual(other.ExcludeInterfaces, StringComparer.Ordinal) &&
        RerouteInterfaces.SequenceEqual(other.RerouteInterfaces, StringComparer.Ordinal) &&
        DnsPort == other.DnsPort && DropInvalid == other.DropInvalid &&
        MediaUdpPorts.Equals(other.MediaUdpPorts) && MediaPort == other.MediaPort && Families == other.Families;

    public override int GetHashCode() => HashCode.Combine(OutboundPort, InboundPort, InboundMode, InboundPorts, OutboundCidrs, OutboundPorts, DnsPort, Families);

    public bool Covers(AddressFamily family) =>
        Families.HasFlag(family == AddressFamily.InterNetwork ? CaptureFamilies.Ipv4 : CaptureFamilies.Ipv6);

    /// <summary>
    /// Checks what single values cannot: combinations, marks, tables, interface names. The
    /// exception names the offending setting through <paramref name="name"/> (a flag or an
    /// annotation), or by its <see cref="PolicyFields"/> name.
    /// </summary>
    public void Validate(Func<string, string>? name = null)
    {
        name ??= field => field;
        CheckPort(OutboundPort, PolicyFields.OutboundPort, name);
        CheckPort(InboundPort, PolicyFields.InboundPort, name);
        CheckPort(DnsPort, PolicyFields.DnsPort, name);
        CheckPort(MediaPort, PolicyFields.MediaPort, name);
        foreach (var (field, id) in new[] { (PolicyFields.ProxyUid, ProxyUid), (PolicyFields.ProxyGid, ProxyGid) })
        {
            if (id == uint.MaxValue)
            {
                throw new PolicyException(name(field), "4294967295", "is not a user or group id (the kernel reads (uid_t)-1 as no id)");
            }
        }

        if (Families == 0 || (Families & ~CaptureFamilies.Both) != 0)
        {
            throw new PolicyException(name(PolicyFields.Families), Families.ToString(), "must be IPv4, IPv6 or both");
        }

        if (InboundMode == InboundMode.Tproxy)
        {
            if (TproxyMark is 0 or ProxyToSelfMark)
            {
                throw new PolicyException(name(PolicyFields.TproxyMark), TproxyMark.ToString(System.Globalization.CultureInfo.InvariantCulture), $"cannot be 0 or {ProxyToSelfMark} (the mark of the proxy's own connections to the pod)");
            }

            if (TproxyTable is <= 0 or 253 or 254 or 255)
            {
                throw new PolicyException(name(PolicyFields.TproxyTable), TproxyTable.ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a routing table of its own (1-252 or 256 and above; 253-255 are default, main and local)");
            }
        }

        if (OutboundExcludeCidrs.All)
        {
            throw new PolicyException(name(PolicyFields.OutboundExcludeCidrs), "*", "cannot be '*' (turn outbound capture off with an empty include list instead)");
        }

        foreach (var (field, set) in new[] { (PolicyFields.InboundExcludePorts, InboundExcludePorts), (PolicyFields.OutboundExcludePorts, OutboundExcludePorts) })
        {
            if (set.All)
            {
                throw new PolicyException(name(field), "*", "cannot be '*' (turn capture off with an empty include list instead)");
            }
        }

        if ((CapturesOutbound || CapturesMedia || DnsPort is not null || CapturesInbound) && ProxyUid is null && ProxyGid is null)
        {
            throw new PolicyException(name(PolicyFields.ProxyUid), "", "must be set (or a proxy gid): without it the proxy's own connections would be captured again, in a loop");
        }

        if (!MediaUdpPorts.IsEmpty && MediaPort is null)
        {
            throw new PolicyException(name(PolicyFields.MediaPort), "", "must be set when media UDP ports are captured");
        }

        foreach (var (field, set) in new[] { (PolicyFields.OutboundCidrs, OutboundCidrs), (PolicyFields.OutboundExcludeCidrs, OutboundExcludeCidrs) })
        {
            foreach (var network in set.Networks.Where(n => !Covers(n.BaseAddress.AddressFamily)))
            {
                throw new PolicyException(name(field), network.ToString(), $"is {(network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6")}, but that family is not captured");
            }
        }

        foreach (var (field, list) in new[] { (PolicyFields.ExcludeInterfaces, ExcludeInterfaces), (PolicyFields.RerouteInterfaces, RerouteInterfaces) })
        {
            InterfaceNames.Check(list, name(field));
        }

        foreach (var (field, set) in new[] { (PolicyFields.InboundPorts, InboundPorts), (PolicyFields.InboundExcludePorts, InboundExcludePorts), (PolicyFields.OutboundPorts, OutboundPorts), (PolicyFields.OutboundExcludePorts, OutboundExcludePorts), (PolicyFields.MediaUdpPorts, MediaUdpPorts) })
        {
            if (set.Ranges.Count > CaptureLimits.MaxListEntries)
            {
                throw new PolicyException(name(field), CaptureLimits.Excerpt(set.ToString()), $"lists {set.Ranges.Count} separate ports or ranges; at most {CaptureLimits.MaxListEntries} are allowed");
            }
        }

        foreach (var (field, set) in new[] { (PolicyFields.OutboundCidrs, OutboundCidrs), (PolicyFields.OutboundExcludeCidrs, OutboundExcludeCidrs) })
        {
            if (set.Networks.Count > CaptureLimits.MaxListEntries)
            {
                throw new PolicyException(name(field), CaptureLimits.Excerpt(set.ToString()), $"lists {set.Networks.Count} networks; at most {CaptureLimits.MaxListEntries} are allowed");
            }
        }
    }

    /// <summary>
    /// The policy in one line, for the log of every capturing ADD: each part says where captured
    /// traffic goes and which traffic that is, e.g. "outbound to :15001: TCP to any address except
    /// to 10.96.0.0/12; inbound REDIRECT to :15006: TCP to any port except 15020,15021,15090; proxy
    /// uid 1337 gid 1337 not captured; dns off; media off; IPv4 and IPv6". Built by concatenation:
    /// nested interpolated strings would each rent and return a pooled buffer, and the first
    /// returns set up the pool's per-processor cache, which costs more than the line (docs/benchmarks.md).
    /// </summary>
    public override string ToString()
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        string Port(int? port) => port?.ToString(culture) ?? "";
        var text = new System.Text.StringBuilder(256).Append("outbound ");
        if (CapturesOutbound)
        {
            text.Append("to :").Append(Port(OutboundPort)).Append(": TCP to ").Append(Destinations(OutboundCidrs, OutboundPorts));
            if (!OutboundExcludeCidrs.IsEmpty || !OutboundExcludePorts.IsEmpty)
            {
                text.Append(" except to ").Append(Destinations(OutboundExcludeCidrs, OutboundExcludePorts));
            }
        }
        else
        {
            text.Append("off");
        }

        text.Append("; inbound ");
        if (CapturesInbound)
        {
            text.Append(InboundModes.Name(InboundMode)).Append(" to :").Append(Port(InboundPort)).Append(": TCP to ").Append(Ports(InboundPorts));
            if (!InboundExcludePorts.IsEmpty)
            {
                text.Append(" except ").Append(InboundExcludePorts.ToString());
            }
        }
        else
        {
            text.Append("off");
        }

        text.Append("; ").Append(ProxyUid is null && ProxyGid is null ? "no proxy identity" : "proxy")
            .Append(ProxyUid is { } uid ? " uid " + uid.ToString(culture) : "").Append(ProxyGid is { } gid ? " gid " + gid.ToString(culture) : "")
            .Append(ProxyUid is null && ProxyGid is null ? " exempt" : " not captured");
        text.Append("; dns ").Append(DnsPort is null ? "off" : "to :" + Port(DnsPort));
        text.Append("; media ").Append(CapturesMedia ? string.Concat("to :", Port(MediaPort), ": UDP to ", Ports(MediaUdpPorts)) : "off");
        return text.Append("; ").Append(Families switch { CaptureFamilies.Ipv4 => "IPv4 only", CaptureFamilies.Ipv6 => "IPv6 only", _ => "IPv4 and IPv6" }).ToString();
    }

    /// <summary>"any address", "10.0.0.0/8", "port 554", "10.0.0.0/8 or ports 80,443".</summary>
    private static string Destinations(CidrSet networks, PortSet ports) =>
        networks.All ? "any address"
        : networks.IsEmpty ? Ports(ports)
        : ports.IsEmpty ? networks.ToString()
        : string.Concat(networks.ToString(), " or ", Ports(ports));

    /// <summary>"any port", "port 554", "ports 5004-5005".</summary>
    private static string Ports(PortSet ports)
    {
        if (ports.All)
        {
            return "any port";
        }

        return (ports.Ranges is [var only] && only.First == only.Last ? "port " : "ports ") + ports.ToString();
    }

    private static void CheckPort(int? port, string field, Func<string, string> name)
    {
        if (port is { } value && value is < 1 or > 65535)
        {
            throw new PolicyException(name(field), value.ToString(System.Globalization.CultureInfo.InvariantCulture), "is not a port (1-65535)");
        }
    }
}
