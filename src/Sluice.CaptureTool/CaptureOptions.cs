using System.Globalization;
using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux.Iptables;

namespace Sluice.CaptureTool;

/// <summary>
/// The options of sluice-iptables: istio-iptables' letters and long names (so existing scripts
/// keep working), plain-named aliases, and Sluice's own additions.
/// </summary>
internal static class CaptureOptions
{
    /// <summary>What a validation container exits with when the pod's capture is not in place (istio-iptables' validation, which Istio's repair controller acts on).</summary>
    public const int ValidationExitCode = 126;

    public static IReadOnlyList<CaptureOption> All { get; } =
    [
        new('p', "envoy-port", "PORT", "outbound TCP goes to this port (istio 15001, msm 8554)",
            (c, v, t) => Port(c, v, t, PolicyFields.OutboundPort, (p, port) => p with { OutboundPort = port }), "proxy-port", "outbound-port"),
        new('z', "inbound-capture-port", "PORT", "inbound TCP goes to this port (15006)",
            (c, v, t) => Port(c, v, t, PolicyFields.InboundPort, (p, port) => p with { InboundPort = port }), "inbound-port"),
        new('u', "proxy-uid", "UID", "the proxy's user: its traffic is never captured (1337)",
            (c, v, t) => { c.UidGiven = true; Id(c, v, t, PolicyFields.ProxyUid, (p, id) => p with { ProxyUid = id }); }),
        new('g', "proxy-gid", "GID", "the proxy's group: its traffic is never captured (the UID)",
            (c, v, t) => { c.GidGiven = true; Id(c, v, t, PolicyFields.ProxyGid, (p, id) => p with { ProxyGid = id }); }),
        new('m', "istio-inbound-interception-mode", "MODE", "REDIRECT or TPROXY (REDIRECT)",
            (c, v, t) => { var mode = InboundModes.Parse(v, t); c.Edit(PolicyFields.InboundMode, t, p => p with { InboundMode = mode }); }, "inbound-mode"),
        new('b', "istio-inbound-ports", "PORTS", "inbound ports captured: '*' or a list; empty: none",
            (c, v, t) => Ports(c, v, t, PolicyFields.InboundPorts, (p, s) => p with { InboundPorts = s }), "inbound-ports"),
        new('d', "istio-local-exclude-ports", "PORTS", "inbound ports that reach the app directly",
            (c, v, t) => Ports(c, v, t, PolicyFields.InboundExcludePorts, (p, s) => p with { InboundExcludePorts = s }), "inbound-exclude-ports"),
        new('i', "istio-service-cidr", "CIDRS", "outbound networks captured: '*' or a list; empty: none",
            (c, v, t) => Cidrs(c, v, t, PolicyFields.OutboundCidrs, (p, s) => p with { OutboundCidrs = s }), "outbound-cidrs"),
        new('x', "istio-service-exclude-cidr", "CIDRS", "outbound networks that go direct",
            (c, v, t) => Cidrs(c, v, t, PolicyFields.OutboundExcludeCidrs, (p, s) => p with { OutboundExcludeCidrs = s }), "outbound-exclude-cidrs"),
        new('q', "istio-outbound-ports", "PORTS", "outbound TCP ports captured whatever the address",
            (c, v, t) => Ports(c, v, t, PolicyFields.OutboundPorts, (p, s) => p with { OutboundPorts = s }), "outbound-ports"),
        new('o', "istio-local-outbound-ports-exclude", "PORTS", "outbound ports (TCP and UDP) that go direct",
            (c, v, t) => Ports(c, v, t, PolicyFields.OutboundExcludePorts, (p, s) => p with { OutboundExcludePorts = s }), "outbound-exclude-ports"),
        new('k', "kube-virt-interfaces", "IFACES", "virtual interfaces whose inbound traffic counts as outbound",
            (c, v, t) => Interfaces(c, v, t, PolicyFields.RerouteInterfaces, (p, l) => p with { RerouteInterfaces = l }), "reroute-virtual-interfaces", "reroute-interfaces"),
        new('c', "istio-exclude-interfaces", "IFACES", "interfaces whose traffic is never captured",
            (c, v, t) => Interfaces(c, v, t, PolicyFields.ExcludeInterfaces, (p, l) => p with { ExcludeInterfaces = l }), "exclude-interfaces"),
        new('t', "istio-inbound-tproxy-mark", "MARK", "TPROXY: the mark of diverted packets (1337)",
            (c, v, t) => { var mark = Number(v, t, "is not a mark (a number; 0x for hex)"); c.Edit(PolicyFields.TproxyMark, t, p => p with { TproxyMark = mark }); }, "tproxy-mark"),
        new('r', "istio-inbound-tproxy-route-table", "TABLE", "TPROXY: the routing table that delivers them locally (133)",
            (c, v, t) => { var table = Number(v, t, "is not a routing table number"); c.Edit(PolicyFields.TproxyTable, t, p => p with { TproxyTable = table <= int.MaxValue ? (int)table : throw new PolicyException(t, v, "is not a routing table number") }); }, "tproxy-route-table"),
        new(null, "redirect-dns", null, "send DNS (TCP and UDP port 53) to the DNS port",
            (c, v, t) => { if (Switch(v, t)) { c.Edit(PolicyFields.DnsPort, t, p => p with { DnsPort = p.DnsPort ?? 15053 }); } }),
        new(null, "dns-port", "PORT", "where captured DNS goes (15053); implies --redirect-dns",
            (c, v, t) => Port(c, v, t, PolicyFields.DnsPort, (p, port) => p with { DnsPort = port })),
        new(null, "capture-all-dns", null, "accepted for istio-iptables; Sluice always captures all port-53 DNS",
            (c, v, t) => Switch(v, t)),
        new(null, "drop-invalid", null, "drop packets conntrack marks INVALID",
            (c, v, t) => { var on = Switch(v, t); c.Edit("drop invalid", t, p => p with { DropInvalid = on }); }),
        new(null, "media-udp-ports", "PORTS", "outbound UDP ports (RTP/RTCP) sent to the media port",
            (c, v, t) => Ports(c, v, t, PolicyFields.MediaUdpPorts, (p, s) => p with { MediaUdpPorts = s })),
        new(null, "media-port", "PORT", "where captured media UDP goes (msm: 8050)",
            (c, v, t) => Port(c, v, t, PolicyFields.MediaPort, (p, port) => p with { MediaPort = port })),
        new(null, "dual-stack", null, "capture IPv4 and IPv6 (the default)",
            (c, v, t) => { if (Switch(v, t)) { c.Edit(PolicyFields.Families, t, p => p with { Families = CaptureFamilies.Both }); } }),
        new(null, "ipv4-only", null, "capture IPv4 only (for kernels without IPv6)",
            (c, v, t) => { if (Switch(v, t)) { c.Edit(PolicyFields.Families, t, p => p with { Families = CaptureFamilies.Ipv4 }); } }),
        new(null, "profile", "NAME", "start from a preset: msm, istio or generic (generic)",
            (c, v, t) => c.Profile = CapturePresets.Find(v) is null ? throw new PolicyException(t, v, $"is not a profile ({string.Join(", ", CapturePresets.Names)})") : v.Trim().ToLowerInvariant()),
        new(null, "backend", "NAME", "nft, iptables or auto (auto: nft when the kernel has it)",
            (c, v, t) => c.Backend = CaptureBackends.Parse(v, t)),
        new(null, "native-nftables", null, "same as --backend nft (istio-iptables' flag)",
            (c, v, t) => { if (Switch(v, t)) { c.Backend = CaptureBackendKind.Nftables; } }),
        new(null, "iptables-variant", "NAME", $"legacy or nft: force the iptables variant (or ${CaptureCommand.VariantEnvironment})",
            (c, v, t) => { c.Variant = Variant(v, t); c.VariantFrom = t; }, "force-iptables-binary"),
        new(null, "netns", "PATH", "apply inside this network namespace (/var/run/netns/NAME, /proc/PID/ns/net)",
            (c, v, t) => c.Netns = v.Length > 0 ? v : throw new PolicyException(t, v, "is not a path"), "network-namespace"),
        new('n', "dry-run", null, "print what would be applied, touch nothing",
            (c, v, t) => { if (Switch(v, t)) { c.Action = CaptureAction.DryRun; } }),
        new(null, "verify", null, "compare the installed rules with the policy; exit 3 if they differ",
            (c, v, t) => { if (Switch(v, t)) { c.Action = CaptureAction.Verify; } }),
        new(null, "validate", null, $"an injector's validation init container: as --verify, but exit {ValidationExitCode} when the capture is not in place (Istio's contract)",
            (c, v, t) => { if (Switch(v, t)) { c.Action = CaptureAction.Validate; } }, "run-validation", "validation-mode"),
        new(null, "skip-rule-apply", null, "accepted for istio-iptables' validation command line; validation never changes a rule",
            (c, v, t) => Switch(v, t)),
        new(null, "cleanup-only", null, "remove Sluice's capture rules and routing, install nothing",
            (c, v, t) => { if (Switch(v, t)) { c.Action = CaptureAction.Cleanup; } }),
        new('h', "help", null, "show this help and exit",
            (c, v, t) => c.Help = Switch(v, t)),
    ];

    /// <summary>The flag that sets a policy setting, for errors about settings the user did not give.</summary>
    public static string? FlagFor(string setting) => setting switch
    {
        PolicyFields.OutboundPort => "-p",
        PolicyFields.InboundPort => "-z",
        PolicyFields.ProxyUid => "-u",
        PolicyFields.ProxyGid => "-g",
        PolicyFields.InboundMode => "-m",
        PolicyFields.TproxyMark => "-t",
        PolicyFields.TproxyTable => "-r",
        PolicyFields.InboundPorts => "-b",
        PolicyFields.InboundExcludePorts => "-d",
        PolicyFields.OutboundCidrs => "-i",
        PolicyFields.OutboundExcludeCidrs => "-x",
        PolicyFields.OutboundPorts => "-q",
        PolicyFields.OutboundExcludePorts => "-o",
        PolicyFields.ExcludeInterfaces => "-c",
        PolicyFields.RerouteInterfaces => "-k",
        PolicyFields.DnsPort => "--dns-port",
        PolicyFields.MediaUdpPorts => "--media-udp-ports",
        PolicyFields.MediaPort => "--media-port",
        PolicyFields.Families => "--ipv4-only",
        _ => null,
    };

    public static CaptureOption? FindLong(string name) =>
        All.FirstOrDefault(o => o.Long == name || o.Aliases.Contains(name));

    public static CaptureOption? FindShort(char letter) => All.FirstOrDefault(o => o.Short == letter);

    private static void Port(CaptureCommand command, string value, string typed, string setting, Func<CapturePolicy, int, CapturePolicy> edit)
    {
        var port = PortSet.ParsePort(value.Trim(), typed);
        command.Edit(setting, typed, p => edit(p, port));
    }

    private static void Ports(CaptureCommand command, string value, string typed, string setting, Func<CapturePolicy, PortSet, CapturePolicy> edit)
    {
        var ports = PortSet.Parse(value, typed);
        command.Edit(setting, typed, p => edit(p, ports));
    }

    private static void Cidrs(CaptureCommand command, string value, string typed, string setting, Func<CapturePolicy, CidrSet, CapturePolicy> edit)
    {
        var networks = CidrSet.Parse(value, typed);
        command.Edit(setting, typed, p => edit(p, networks));
    }

    private static void Interfaces(CaptureCommand command, string value, string typed, string setting, Func<CapturePolicy, IReadOnlyList<string>, CapturePolicy> edit)
    {
        var names = InterfaceNames.Parse(value, typed);
        command.Edit(setting, typed, p => edit(p, names));
    }

    private static void Id(CaptureCommand command, string value, string typed, string setting, Func<CapturePolicy, uint?, CapturePolicy> edit)
    {
        var trimmed = value.Trim();
        uint? id = trimmed.Length == 0 ? null
            : uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed != uint.MaxValue ? parsed
            : throw new PolicyException(typed, value, trimmed.Contains(',', StringComparison.Ordinal) ? "is a list; Sluice exempts one proxy id (a number)" : "is not a user or group id (a number)");
        command.Edit(setting, typed, p => edit(p, id));
    }

    private static uint Number(string value, string typed, string problem)
    {
        var trimmed = value.Trim();
        var ok = trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(trimmed[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            : uint.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out number);
        return ok ? number : throw new PolicyException(typed, value, problem);
    }

    private static IptablesVariant Variant(string value, string typed)
    {
        var name = value.Trim();
        name = name.StartsWith("iptables-", StringComparison.Ordinal) ? name["iptables-".Length..] : name;
        return IptablesDetector.Parse(name) ?? throw new PolicyException(typed, value, "is not an iptables variant (legacy or nft)");
    }

    /// <summary>A switch given bare (true) or as <c>--flag=true|false</c>.</summary>
    private static bool Switch(string value, string typed) => value.Trim().ToLowerInvariant() switch
    {
        "" or "true" or "1" => true,
        "false" or "0" => false,
        _ => throw new PolicyException(typed, value, "is not true or false"),
    };
}
