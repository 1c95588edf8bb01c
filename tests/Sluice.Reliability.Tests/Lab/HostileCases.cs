using System.Globalization;
using System.Text;
using static Sluice.Reliability.Tests.Lab.HostileRig;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>The hostile inputs of issue 17, by family: paths, special files, sizes, encodings, types, ranges, injection.</summary>
internal static class HostileCases
{
    private const string Ipam = "sluice-ipam";
    private const string Bridge = "sluice-bridge";
    private const string Redirect = "sluice-redirect";
    private const string Portmap = "sluice-portmap";
    private const string Tool = "sluice-iptables";

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        .. Paths(),
        .. SpecialFiles(),
        .. Sizes(),
        .. Encodings(),
        .. Types(),
        .. Ranges(),
        .. Injections(),
        .. PortMappings(),
        .. BridgePortMappings(),
    ];

    public static HostileCase Find(string name) => All.Single(c => c.Name == name);

    private static HostileCall Call(Dictionary<string, string> env, string config) => new(env, Bytes(config));

    /// <summary>An ipam DEL of an attachment that was never added: it touches nothing, so only what the input itself causes can change the node.</summary>
    private static HostileCall IpamDel(HostileRig rig, string top = "", string ipam = "", string? dataDir = null) =>
        Call(rig.Env("DEL"), rig.IpamConfig(top, ipam, dataDir));

    private static HostileCall IpamAdd(HostileRig rig, string top = "", string ipam = "", string? dataDir = null) =>
        Call(rig.Env("ADD"), rig.IpamConfig(top, ipam, dataDir));

    private static HostileCall BridgeAdd(HostileRig rig, string top = "", string? netns = null) =>
        Call(rig.Env("ADD", netns), rig.BridgeConfig(top));

    /// <summary>sluice-bridge mapping the pod's hostPorts itself: the capability declared, <paramref name="mappings"/> as runtimeConfig.portMappings.</summary>
    private static HostileCall BridgeMappingAdd(HostileRig rig, string mappings, string top = "") =>
        BridgeAdd(rig, top: $",\"capabilities\":{{\"portMappings\":true}},\"runtimeConfig\":{{\"portMappings\":{mappings}}}{top}");

    private static HostileCall PortmapAdd(HostileRig rig, string mappings = Web, string top = "", string containerId = "hostile") =>
        Call(rig.Env("ADD", containerId: containerId), rig.PortmapConfig(mappings, top));

    private static HostileCall ToolArgs(params string[] arguments) => new([], [], arguments);

    private static IEnumerable<HostileCase> Paths() =>
    [
        new("logFile-relative", Ipam, 7, "'logFile' 'sluice.log' is not an absolute path", r => IpamDel(r, top: ",\"logLevel\":\"debug\",\"logFile\":\"sluice.log\"")),
        new("logFile-climbing-relative", Bridge, 7, "is not an absolute path", r => BridgeAdd(r, top: ",\"logFile\":\"../../precious\"")),
        new("logFile-through-link-out", Ipam, 0, "", r => IpamDel(r, top: $",\"logLevel\":\"debug\",\"logFile\":\"{r.LinkOut}\"")),
        new("logFile-is-a-fifo", Ipam, 0, "", r => IpamDel(r, top: $",\"logLevel\":\"debug\",\"logFile\":\"{r.Fifo}\"")),
        new("logFile-is-a-directory", Ipam, 0, "", r => IpamDel(r, top: $",\"logLevel\":\"debug\",\"logFile\":\"{r.Dir}\"")),
        new("logFile-in-a-missing-directory", Ipam, 0, "", r => IpamDel(r, top: $",\"logLevel\":\"debug\",\"logFile\":\"{Path.Combine(r.Lab.Directory, "no", "such", "log")}\"")),
        new("logFile-is-dev-null", Ipam, 0, "", r => IpamDel(r, top: ",\"logLevel\":\"debug\",\"logFile\":\"/dev/null\"")),
        new("logSocket-relative", Ipam, 7, "'logSocket' 'log.sock' is not an absolute path", r => Call(r.Env("DEL"), r.IpamConfig().Replace("\"logSocket\":\"\"", "\"logSocket\":\"log.sock\"", StringComparison.Ordinal))),
        new("logSocket-too-long", Ipam, 7, "at most 107 bytes", r => Call(r.Env("DEL"), r.IpamConfig().Replace("\"logSocket\":\"\"", $"\"logSocket\":\"/{new string('s', 200)}\"", StringComparison.Ordinal))),
        new("dataDir-relative", Ipam, 7, "ipam.dataDir 'data' is not an absolute path", r => IpamAdd(r, dataDir: "data")),
        new("dataDir-dotdot", Ipam, 7, "without '.' or '..' parts", r => IpamAdd(r, dataDir: r.Lab.Directory + "/specials/../escaped")),
        new("dataDir-dot", Bridge, 7, "without '.' or '..' parts", r => Call(r.Env("ADD"), r.BridgeConfig().Replace(r.Lab.DataDir, r.Lab.Directory + "/./ipam", StringComparison.Ordinal))),
        new("dataDir-is-a-file", Ipam, 5, "", r => IpamAdd(r, dataDir: r.PlainFile)),
        new("resolvConf-relative", Ipam, 7, "ipam.resolvConf 'no-such-resolv.conf' is not an absolute path", r => IpamAdd(r, ipam: ",\"resolvConf\":\"no-such-resolv.conf\"")),
        new("resolvConf-missing", Ipam, 5, "cannot read ipam.resolvConf /no/such/resolv.conf: it does not exist", r => IpamAdd(r, ipam: ",\"resolvConf\":\"/no/such/resolv.conf\"")),
        new("agentSocket-relative", Redirect, 7, "kubernetes.agentSocket 'pods.sock' is not an absolute path", r => Call(r.Env("ADD"), r.RedirectConfig().Replace("\"agentSocket\":\"\"", "\"agentSocket\":\"pods.sock\"", StringComparison.Ordinal))),
        new("kubeconfig-missing", Redirect, 102, "shop/reviews", r => Call(r.Env("ADD"), r.RedirectConfig(kubeconfig: Path.Combine(r.Lab.Directory, "no-kubeconfig")))),
    ];

    private static IEnumerable<HostileCase> SpecialFiles() =>
    [
        new("netns-fifo-bridge-add", Bridge, 4, "CNI_NETNS '{fifo}' is not a network namespace: it is a FIFO", r => BridgeAdd(r, netns: r.Fifo)),
        new("netns-file-bridge-add", Bridge, 4, "it is a regular file", r => BridgeAdd(r, netns: r.PlainFile)),
        new("netns-directory-bridge-add", Bridge, 4, "it is a directory", r => BridgeAdd(r, netns: r.Dir)),
        new("netns-link-to-file-bridge-add", Bridge, 4, "it is a regular file", r => BridgeAdd(r, netns: r.LinkToFile)),
        new("netns-dev-null-bridge-add", Bridge, 4, "it is a character device", r => BridgeAdd(r, netns: "/dev/null")),
        new("netns-mount-namespace-bridge-add", Bridge, 4, "it is a mount namespace", r => BridgeAdd(r, netns: "/proc/self/ns/mnt")),
        new("netns-missing-bridge-add", Bridge, 4, "cannot be opened", r => BridgeAdd(r, netns: Path.Combine(r.Specials, "gone"))),
        new("netns-fifo-bridge-check", Bridge, 4, "it is a FIFO", r => Call(r.Env("CHECK", r.Fifo), NodeLab.WithPrevResult(r.BridgeConfig(), PrevResult(r.Fifo)))),
        new("netns-fifo-bridge-del", Bridge, 4, "it is a FIFO", r => Call(r.Env("DEL", r.Fifo), r.BridgeConfig())),
        new("netns-fifo-redirect-add", Redirect, 4, "it is a FIFO", r => Call(r.Env("ADD", r.Fifo), r.RedirectConfig())),
        new("netns-fifo-redirect-check", Redirect, 4, "it is a FIFO", r => Call(r.Env("CHECK", r.Fifo), r.RedirectConfig())),
        new("netns-fifo-redirect-del", Redirect, 4, "it is a FIFO", r => Call(r.Env("DEL", r.Fifo), r.RedirectConfig())),
        new("netns-fifo-iptables", Tool, 2, "--netns '{fifo}' is not a network namespace: it is a FIFO", r => ToolArgs("--netns", r.Fifo, "-q", "554", "-p", "8554")),
        new("kubeconfig-fifo-status", Redirect, 50, "is a FIFO, not a file", r => Call(r.Env("STATUS"), r.RedirectConfig(kubeconfig: r.Fifo))),
        new("kubeconfig-fifo-add", Redirect, 102, "is a FIFO, not a file", r => Call(r.Env("ADD"), r.RedirectConfig(kubeconfig: r.Fifo))),
        new("kubeconfig-dev-zero-add", Redirect, 102, "is a character device, not a file", r => Call(r.Env("ADD"), r.RedirectConfig(kubeconfig: "/dev/zero"))),
        new("kubeconfig-directory-status", Redirect, 50, "is a directory, not a file", r => Call(r.Env("STATUS"), r.RedirectConfig(kubeconfig: r.Dir))),
        new("resolvConf-fifo", Ipam, 7, "ipam.resolvConf '{fifo}' is a FIFO, not a file", r => IpamAdd(r, ipam: $",\"resolvConf\":\"{r.Fifo}\"")),
        new("resolvConf-dev-zero", Ipam, 7, "is a character device, not a file", r => IpamAdd(r, ipam: ",\"resolvConf\":\"/dev/zero\"")),
    ];

    private static IEnumerable<HostileCase> Sizes() =>
    [
        new("stdin-17-MiB", Ipam, 6, "larger than 16 MiB", r => new(r.Env("ADD"), Bytes(r.IpamConfig(top: $",\"pad\":\"{new string('x', 17 * 1024 * 1024)}\"")))),
        new("nesting-100k-deep", Ipam, 6, "cannot decode network configuration", r => Call(r.Env("ADD"), r.IpamConfig(top: ",\"deep\":" + new string('[', 100_000) + new string(']', 100_000)))),
        new("cni-args-100k-unknown-key", Ipam, 4, "CNI_ARGS: unknown key", r => Call(new Dictionary<string, string>(r.Env("ADD")) { ["CNI_ARGS"] = new string('K', 100_000) + "=v" }, r.IpamConfig())),
        new("container-id-300-bytes", Ipam, 4, "is 300 characters long, more than the 192 accepted", r => Call(r.Env("ADD", containerId: new string('c', 300)), r.IpamConfig())),
        new("ifname-16-bytes", Ipam, 4, "CNI_IFNAME 'sixteen-bytes-xx' is invalid: it is longer than 15 bytes", r => Call(r.Env("ADD", ifName: "sixteen-bytes-xx"), r.IpamConfig())),
        new("annotation-1.9-MB-of-ports", Redirect, 104, "separate ports or ranges", r => Call(r.Env("ADD", pod: r.PodWith("huge-ports", "traffic.sidecar.istio.io/excludeOutboundPorts", EveryOtherPort(10)) ), r.RedirectConfig())),
        new("annotation-every-port-one-by-one", Redirect, 0, "", r => Call(r.Env("ADD", pod: r.PodWith("every-port", "traffic.sidecar.istio.io/excludeOutboundPorts", string.Join(',', Enumerable.Range(1, 65535).Select(Number)))), r.RedirectConfig()))
        {
            Cleanup = r => r.Lab.Run(Redirect, r.Env("DEL", pod: "every-port"), r.RedirectConfig()),
        },
        new("annotation-300-networks", Redirect, 104, "networks; at most 256", r => Call(r.Env("ADD", pod: r.PodWith("many-nets", "traffic.sidecar.istio.io/excludeOutboundIPRanges", string.Join(',', Enumerable.Range(0, 300).Select(i => $"10.{i / 256}.{i % 256}.0/24")))), r.RedirectConfig())),
        new("iptables-too-many-ports", Tool, 2, "separate ports or ranges", r => ToolArgs("-o", string.Join(',', Enumerable.Range(1, 300).Select(i => Number(2 * i))), "-q", "554", "-p", "8554", "--dry-run", "--backend", "nft")),
    ];

    private static IEnumerable<HostileCase> Encodings() =>
    [
        new("stdin-not-utf8", Ipam, 6, "not valid UTF-8", r => new(r.Env("ADD"), [.. Bytes("{\"cniVersion\":\"1.1.0\",\"name\":\""), 0xff, 0xfe, .. Bytes("\"}")])),
        new("stdin-utf16", Ipam, 6, "cannot decode", r => new(r.Env("ADD"), Encoding.Unicode.GetBytes(r.IpamConfig()))),
        new("stdin-empty", Ipam, 6, "is empty", r => new(r.Env("ADD"), [])),
        new("name-with-nul", Ipam, 7, "field 'name'", r => Call(r.Env("ADD"), r.IpamConfig().Replace("\"name\":\"podnet\"", "\"name\":\"pod\\u0000net\"", StringComparison.Ordinal))),
        new("name-lone-surrogate", Ipam, 6, "cannot decode", r => Call(r.Env("ADD"), r.IpamConfig().Replace("\"name\":\"podnet\"", "\"name\":\"pod\\ud800net\"", StringComparison.Ordinal))),
        new("ifname-unicode-in-gc", Ipam, 7, "'cni.dev/valid-attachments[0].ifname'", r => Call(r.Env("GC"), r.IpamConfig(top: ",\"cni.dev/valid-attachments\":[{\"containerID\":\"c1\",\"ifname\":\"eth\\u2028x\"}]"))),
    ];

    private static IEnumerable<HostileCase> Types() =>
    [
        new("mtu-as-string", Bridge, 6, "mtu", r => BridgeAdd(r, top: ",\"mtu\":\"1500\"")),
        new("mtu-as-fraction", Bridge, 6, "mtu", r => BridgeAdd(r, top: ",\"mtu\":1500.5")),
        new("isGateway-as-string", Bridge, 6, "isGateway", r => BridgeAdd(r, top: ",\"isGateway\":\"yes\"")),
        new("ranges-as-object", Ipam, 6, "ranges", r => Call(r.Env("ADD"), r.IpamConfig().Replace("\"ranges\":[[{\"subnet\":\"10.53.0.0/22\"}]]", "\"ranges\":{\"subnet\":\"10.53.0.0/22\"}", StringComparison.Ordinal))),
        new("valid-attachments-as-object", Ipam, 6, "cni.dev/valid-attachments", r => Call(r.Env("GC"), r.IpamConfig(top: ",\"cni.dev/valid-attachments\":{\"containerID\":\"c1\"}"))),
        new("prevResult-as-string", Ipam, 6, "prevResult", r => Call(r.Env("CHECK"), r.IpamConfig(top: ",\"prevResult\":\"ok\""))),
        new("name-as-number", Ipam, 6, "name", r => Call(r.Env("ADD"), r.IpamConfig().Replace("\"name\":\"podnet\"", "\"name\":7", StringComparison.Ordinal))),
        new("capture-port-as-object", Redirect, 6, "outboundPort", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"outboundPort\":{\"a\":1}}"))),
        new("podLookup-as-array", Redirect, 6, "podLookup", r => Call(r.Env("ADD"), r.RedirectConfig().Replace("\"podLookup\":{", "\"podLookup\":[{", StringComparison.Ordinal).Replace("},\"logSocket\"", "}],\"logSocket\"", StringComparison.Ordinal))),
    ];

    private static IEnumerable<HostileCase> Ranges() =>
    [
        new("mtu-70000", Bridge, 7, "field 'mtu' 70000 is outside 68", r => BridgeAdd(r, top: ",\"mtu\":70000")),
        new("mtu-2^31", Bridge, 7, "mtu", r => BridgeAdd(r, top: ",\"mtu\":2147483648")),
        new("vlan-3000000000", Bridge, 2, "field 'vlan' (3000000000) is not supported", r => BridgeAdd(r, top: ",\"vlan\":3000000000")),
        new("podLookup-timeout-2^40", Redirect, 7, "podLookup.timeoutMs", r => Call(r.Env("ADD"), r.RedirectConfig().Replace("\"timeoutMs\":1500", "\"timeoutMs\":1099511627776", StringComparison.Ordinal))),
        new("podLookup-attempts-11", Redirect, 7, "podLookup.attempts '11' is not between 1 and 10", r => Call(r.Env("ADD"), r.RedirectConfig().Replace("\"attempts\":3", "\"attempts\":11", StringComparison.Ordinal))),
        new("tproxyTable-3000000000", Redirect, 7, "capture.tproxyTable '3000000000' is not a routing table number", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"inboundMode\":\"TPROXY\",\"tproxyTable\":3000000000}"))),
        new("tproxyTable-main", Redirect, 7, "capture.tproxyTable '254' is not a routing table of its own", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"inboundMode\":\"TPROXY\",\"tproxyTable\":254}"))),
        new("proxyUid-2^32", Redirect, 7, "capture.proxyUid '4294967296'", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"proxyUid\":4294967296}"))),
        new("proxyUid-minus-one", Redirect, 7, "capture.proxyUid '4294967295' is not a user or group id", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"proxyUid\":4294967295}"))),
        new("inboundPort-0", Redirect, 7, "capture.inboundPort '0' is not a port", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"inboundPort\":0}"))),
        new("outboundPort-65536", Redirect, 7, "capture.outboundPort '65536' is not a port", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"outboundPort\":65536}"))),
        new("subnet-slash-33", Ipam, 7, "ipam.ranges[0][0].subnet '10.53.0.0/33'", r => Call(r.Env("ADD"), r.IpamConfig().Replace("10.53.0.0/22", "10.53.0.0/33", StringComparison.Ordinal))),
        new("rangeStart-outside-subnet", Ipam, 7, "rangeStart '10.99.0.1' is not an address in", r => Call(r.Env("ADD"), r.IpamConfig().Replace("{\"subnet\":\"10.53.0.0/22\"}", "{\"subnet\":\"10.53.0.0/22\",\"rangeStart\":\"10.99.0.1\"}", StringComparison.Ordinal))),
        new("iptables-port-65536", Tool, 2, "-p '65536' is not a port", r => ToolArgs("-p", "65536", "-q", "554", "--dry-run", "--backend", "nft")),
        new("iptables-table-2^32", Tool, 2, "-r '4294967296' is not a routing table number", r => ToolArgs("-m", "TPROXY", "-b", "*", "-r", "4294967296", "--dry-run", "--backend", "nft")),
        new("iptables-mark-0", Tool, 2, "-t '0' cannot be 0", r => ToolArgs("-m", "TPROXY", "-b", "*", "-t", "0", "--dry-run", "--backend", "nft")),
    ];

    private static IEnumerable<HostileCase> Injections() =>
    [
        new("gc-ifname-climbing-out", Ipam, 7, "'cni.dev/valid-attachments[0].ifname' 'x/../../precious'", r => GcWithOldStyleRecord(r, "{\"containerID\":\"victim\",\"ifname\":\"x/../../precious\"}")),
        new("gc-container-id-climbing-out", Bridge, 7, "'cni.dev/valid-attachments[1].containerID' '../../precious'", r => Call(r.Env("GC"), r.BridgeConfig(",\"cni.dev/valid-attachments\":[{\"containerID\":\"ok\",\"ifname\":\"eth0\"},{\"containerID\":\"../../precious\",\"ifname\":\"eth0\"}]"))),
        new("gc-legacy-key-ifname-dotdot", Ipam, 7, "'cni.dev/attachments[0].ifname' '..'", r => Call(r.Env("GC"), r.IpamConfig(top: ",\"cni.dev/attachments\":[{\"containerID\":\"c1\",\"ifname\":\"..\"}]"))),
        new("container-id-climbing-out", Ipam, 4, "CNI_CONTAINERID '../../precious' is invalid", r => Call(r.Env("ADD", containerId: "../../precious"), r.IpamConfig())),
        new("ifname-with-slash", Ipam, 4, "CNI_IFNAME 'e/../x' is invalid", r => Call(r.Env("ADD", ifName: "e/../x"), r.IpamConfig())),
        new("ifname-with-newline", Bridge, 4, "CNI_IFNAME", r => BridgeAdd(r) with { Env = new(r.Env("ADD", ifName: "eth0\nforged")) }),
        new("network-name-climbing-out", Ipam, 7, "field 'name' '../precious' is invalid", r => Call(r.Env("ADD"), r.IpamConfig().Replace("\"name\":\"podnet\"", "\"name\":\"../precious\"", StringComparison.Ordinal))),
        new("config-excludeInterfaces-plus", Redirect, 7, "capture.excludeInterfaces '+' is not an interface name", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"excludeInterfaces\":\"+\"}"))),
        new("config-excludeInterfaces-quote", Redirect, 7, "is not an interface name", r => Call(r.Env("ADD"), r.RedirectConfig(top: ",\"capture\":{\"excludeInterfaces\":\"x\\\"\"}"))),
        new("annotation-excludeInterfaces-plus", Redirect, 104, "would match every interface", r => Call(r.Env("ADD", pod: r.PodWith("plus", "traffic.sidecar.istio.io/excludeInterfaces", "+")), r.RedirectConfig())),
        new("annotation-excludeInterfaces-option", Redirect, 104, "starts with '-'", r => Call(r.Env("ADD", pod: r.PodWith("option", "traffic.sidecar.istio.io/excludeInterfaces", "-j")), r.RedirectConfig())),
        new("annotation-excludeInterfaces-quote", Redirect, 104, "is not an interface name", r => Call(r.Env("ADD", pod: r.PodWith("quote", "traffic.sidecar.istio.io/excludeInterfaces", "x\" -j ACCEPT")), r.RedirectConfig())),
        new("annotation-newline-log-forging", Redirect, 104, "\\n", r => Call(r.Env("ADD", pod: r.PodWith("forge", "traffic.sidecar.istio.io/excludeOutboundPorts", "80\n2026-12-01T00:00:00.000Z info sluice-redirect ADD: capture installed")), r.RedirectConfig(top: ",\"logLevel\":\"debug\""))),
        new("iptables-interface-option", Tool, 2, "-c '-j' is not an interface name", r => ToolArgs("-c", "-j", "--dry-run", "--backend", "nft")),
        new("iptables-interface-plus", Tool, 2, "-c '+' is not an interface name", r => ToolArgs("-c", "+", "--dry-run", "--backend", "nft")),
        new("iptables-interface-quote", Tool, 2, "-c 'x\"' is not an interface name", r => ToolArgs("-c", "x\"", "--dry-run", "--backend", "iptables")),
        new("iptables-cidr-injection", Tool, 2, "-x '10.0.0.0/8 -j ACCEPT' ", r => ToolArgs("-x", "10.0.0.0/8 -j ACCEPT", "--dry-run", "--backend", "iptables")),
    ];

    /// <summary>runtimeConfig.portMappings comes from the pod spec through the runtime: every family above, for sluice-portmap.</summary>
    private static IEnumerable<HostileCase> PortMappings() =>
    [
        new("portmap-hostPort-70000", Portmap, 7, "field 'runtimeConfig.portMappings[0].hostPort' 70000 is outside 1–65535", r => PortmapAdd(r, """[{"hostPort":70000,"containerPort":80}]""")),
        new("portmap-hostPort-2^32", Portmap, 7, "hostPort", r => PortmapAdd(r, """[{"hostPort":4294967376,"containerPort":80}]""")),
        new("portmap-containerPort-0", Portmap, 7, "field 'runtimeConfig.portMappings[1].containerPort' 0 is outside 1–65535", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80},{"hostPort":8081,"containerPort":0}]""")),
        new("portmap-hostPort-missing", Portmap, 7, "field 'runtimeConfig.portMappings[0].hostPort' is missing", r => PortmapAdd(r, """[{"containerPort":80}]""")),
        new("portmap-markMasqBit-32", Portmap, 7, "field 'markMasqBit' 32 is outside 0–31", r => PortmapAdd(r, top: ",\"markMasqBit\":32")),
        new("portmap-hostPort-as-string", Portmap, 6, "hostPort", r => PortmapAdd(r, """[{"hostPort":"8080","containerPort":80}]""")),
        new("portmap-portMappings-as-object", Portmap, 6, "portMappings", r => PortmapAdd(r, """{"hostPort":8080,"containerPort":80}""")),
        new("portmap-protocol-rule-text", Portmap, 7, "field 'runtimeConfig.portMappings[0].protocol' 'tcp -j ACCEPT' is not one of tcp, udp, sctp", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80,"protocol":"tcp -j ACCEPT"}]""")),
        new("portmap-protocol-icmp", Portmap, 7, "is not one of tcp, udp, sctp", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80,"protocol":"icmp"}]""")),
        new("portmap-hostIP-rule-text", Portmap, 7, "field 'runtimeConfig.portMappings[0].hostIP' '0.0.0.0/0 -j ACCEPT' is not an IP address", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80,"hostIP":"0.0.0.0/0 -j ACCEPT"}]""")),
        new("portmap-hostIP-newline-log-forging", Portmap, 7, "'1.2.3.4\\n2026-12-01T00:00:00.000Z info", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80,"hostIP":"1.2.3.4\n2026-12-01T00:00:00.000Z info sluice-portmap ADD: mapped"}]""", top: ",\"logLevel\":\"debug\"")),
        new("portmap-same-port-twice", Portmap, 7, "takes the same connections as runtimeConfig.portMappings[0]", r => PortmapAdd(r, """[{"hostPort":8080,"containerPort":80},{"hostPort":8080,"containerPort":81,"protocol":"TCP"}]""")),
        new("portmap-conditionsV4-rule-text", Portmap, 2, "field 'conditionsV4' ([\"-j\",\"ACCEPT\"]) is not supported", r => PortmapAdd(r, top: ",\"conditionsV4\":[\"-j\",\"ACCEPT\"]")),
        new("portmap-externalSetMarkChain", Portmap, 2, "externalSetMarkChain", r => PortmapAdd(r, top: ",\"externalSetMarkChain\":\"KUBE-MARK-MASQ\"")),
        new("portmap-backend-unknown", Portmap, 7, "field 'backend' 'ebpf'", r => PortmapAdd(r, top: ",\"backend\":\"ebpf\"")),
        new("portmap-container-id-too-long-to-tag", Portmap, 4, "is 200 characters long, more than the 192 accepted", r => PortmapAdd(r, containerId: new string('c', 200))),
        new("portmap-without-prevResult", Portmap, 7, "needs prevResult", r => Call(r.Env("ADD"), r.PortmapConfig().Replace(",\"prevResult\":", ",\"ignored\":", StringComparison.Ordinal))),
        new("portmap-gc-container-id-climbing-out", Portmap, 7, "'cni.dev/valid-attachments[0].containerID' '../../precious'", r => Call(r.Env("GC"), r.PortmapConfig(top: ",\"cni.dev/valid-attachments\":[{\"containerID\":\"../../precious\",\"ifname\":\"eth0\"}]"))),
    ];

    /// <summary>The same mappings reach sluice-bridge when it declares the capability: refused before the node is touched.</summary>
    private static IEnumerable<HostileCase> BridgePortMappings() =>
    [
        new("bridge-portmap-protocol-rule-text", Bridge, 7, "field 'runtimeConfig.portMappings[0].protocol' 'tcp -j ACCEPT' is not one of tcp, udp, sctp", r => BridgeMappingAdd(r, """[{"hostPort":8080,"containerPort":80,"protocol":"tcp -j ACCEPT"}]""")),
        new("bridge-portmap-hostIP-rule-text", Bridge, 7, "field 'runtimeConfig.portMappings[0].hostIP' '0.0.0.0/0 -j ACCEPT' is not an IP address", r => BridgeMappingAdd(r, """[{"hostPort":8080,"containerPort":80,"hostIP":"0.0.0.0/0 -j ACCEPT"}]""")),
        new("bridge-portmap-hostPort-70000", Bridge, 7, "field 'runtimeConfig.portMappings[0].hostPort' 70000 is outside 1–65535", r => BridgeMappingAdd(r, """[{"hostPort":70000,"containerPort":80}]""")),
        new("bridge-portmap-same-port-twice", Bridge, 7, "takes the same connections as runtimeConfig.portMappings[0]", r => BridgeMappingAdd(r, """[{"hostPort":8080,"containerPort":80},{"hostPort":8080,"containerPort":81,"protocol":"TCP"}]""")),
        new("bridge-portmap-portMappings-as-object", Bridge, 6, "portMappings", r => BridgeMappingAdd(r, """{"hostPort":8080,"containerPort":80}""")),
        new("bridge-hostPorts-snat-as-string", Bridge, 6, "hostPorts.snat", r => BridgeMappingAdd(r, "[]", top: ",\"hostPorts\":{\"snat\":\"yes\"}")),
        new("bridge-hostPorts-without-capability", Bridge, 7, "field 'hostPorts' is set but 'capabilities.portMappings' is not true", r => BridgeAdd(r, top: ",\"hostPorts\":{\"snat\":false}")),
        new("bridge-portMappings-without-capability", Bridge, 7, "'capabilities.portMappings' is not true", r => BridgeAdd(r, top: ",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80}]}")),
    ];

    /// <summary>GC with host-local's oldest record format (container ID only) in the store, as in the reproduction.</summary>
    private static HostileCall GcWithOldStyleRecord(HostileRig rig, string attachment)
    {
        Directory.CreateDirectory(rig.Lab.StoreDir);
        File.WriteAllText(Path.Combine(rig.Lab.StoreDir, "10.53.0.9"), "victim");
        return Call(rig.Env("GC"), rig.IpamConfig(top: $",\"cni.dev/valid-attachments\":[{attachment}]"));
    }

    /// <summary>Every odd port, <paramref name="repeat"/> times over (10 times: 1.9 MB of text, the size in the issue).</summary>
    private static string EveryOtherPort(int repeat) =>
        string.Join(',', Enumerable.Repeat(0, repeat).SelectMany(_ => Enumerable.Range(0, 32767).Select(i => Number(2 * i + 1))));

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
