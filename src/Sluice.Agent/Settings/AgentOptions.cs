using System.Net;
using System.Text.Json;
using Sluice.CommandLine;

namespace Sluice.Agent.Settings;

/// <summary>
/// Every setting of sluice-agent, declared once: flag, environment variable (a DaemonSet sets
/// env), default, help and reader. <see cref="AgentSettings.Parse"/> turns them into typed settings.
/// </summary>
internal static class AgentOptions
{
    public static readonly Command Command = new(
        "Usage: sluice-agent [--SETTING VALUE]...\n       sluice-agent uninstall [OPTION]... (see sluice-agent uninstall --help)\n       sluice-agent status [--json] (see sluice-agent status --help)",
        "The per-node Sluice agent: installs the plugins, their kubeconfig and CNI configuration and keeps them in place.\n" +
        "Every setting is a flag or an environment variable (the flag wins); boolean settings take a value (--chained true).");

    public static readonly Option<IReadOnlyList<string>> CniBinDirs = Command.Add(new Option<IReadOnlyList<string>>(
        "--cni-bin-dir", Values.AbsolutePaths, "where the plugin binaries are installed (comma-separated for several)")
    { Variable = "CNI_BIN_DIR", Default = "/host/opt/cni/bin", ValueName = "DIRS" });

    public static readonly Option<string> CniConfDir = Command.Add(new Option<string>(
        "--cni-conf-dir", Values.AbsolutePath, "the runtime's CNI configuration directory")
    { Variable = "CNI_CONF_DIR", Default = "/host/etc/cni/net.d", ValueName = "DIR" });

    public static readonly Option<string> CniConfFileName = Command.Add(new Option<string>(
        "--cni-conf-file-name", Values.Text, "the configuration file to chain into (default: the one the runtime uses, the lexically first)")
    { Variable = "CNI_CONF_FILE_NAME", Default = "", ValueName = "NAME" });

    public static readonly Option<string> SourceDir = Command.Add(new Option<string>(
        "--source-dir", Values.AbsolutePath, "the binaries to install")
    { Variable = "SOURCE_DIR", Default = "/opt/sluice/bin", ValueName = "DIR" });

    public static readonly Option<string> RunDir = Command.Add(new Option<string>(
        "--run-dir", Values.AbsolutePath, "where the plugins' kubeconfig and the agent's sockets live (a host path)")
    { Variable = "RUN_DIR", Default = "/var/run/sluice", ValueName = "DIR" });

    public static readonly Option<string> Kubeconfig = Command.Add(new Option<string>(
        "--kubeconfig", Values.Text, "the agent's kubeconfig when out of cluster (default: in-cluster configuration)")
    { Variable = "KUBECONFIG", Default = "", ValueName = "FILE" });

    public static readonly Option<string> NodeName = Command.Add(new Option<string>(
        "--node-name", Values.Text, "this node's name (the downward API's spec.nodeName)")
    { Variable = "NODE_NAME", Default = "", ValueName = "NAME" });

    public static readonly Option<int> HealthPort = Command.Add(new Option<int>(
        "--health-port", Values.Port, "port of /healthz, /readyz and /metrics (0: off)")
    { Variable = "HEALTH_PORT", Default = "9870", ValueName = "PORT" });

    public static readonly Option<string> Profile = Command.Add(new Option<string>(
        "--profile", Values.OneOf("a profile", "msm", "istio", "generic"), "the default sluice-redirect entry's profile: msm, istio or generic")
    { Variable = "PROFILE", Default = "generic", ValueName = "NAME" });

    public static readonly Option<IReadOnlyList<string>> ExcludeNamespaces = Command.Add(new Option<IReadOnlyList<string>>(
        "--exclude-namespaces", Values.Items, "namespaces whose pods are never captured (default entry)")
    { Variable = "EXCLUDE_NAMESPACES", Default = "kube-system", ValueName = "LIST" });

    public static readonly Option<string> PluginConfig = Command.Add(new Option<string>(
        "--plugin-config", JsonObjectText, "the sluice-redirect entry to insert, as JSON (default: built from the settings above)")
    { Variable = "PLUGIN_CONFIG", Default = "", ValueName = "JSON" });

    public static readonly Option<bool> Chained = Command.Add(new Option<bool>(
        "--chained", Values.Boolean, "insert sluice-redirect into the primary plugin's configuration (false: write Sluice's own configuration file)")
    { Variable = "CHAINED", Default = "true", ValueName = "BOOL" });

    public static readonly Option<bool> OwnedConflist = Command.Add(new Option<bool>(
        "--owned-conflist", Values.Boolean, "chained mode: leave the primary's file alone and write Sluice's own copy of it with sluice-redirect, named to sort first, rewritten whenever the primary's file changes")
    { Variable = "OWNED_CONFLIST", Default = "false", ValueName = "BOOL" });

    public static readonly Option<string> OwnedConflistName = Command.Add(new Option<string>(
        "--owned-conflist-name", ConflistName, "the owned copy's file name; it must sort before the primary's")
    { Variable = "OWNED_CONFLIST_NAME", Default = "01-sluice.conflist", ValueName = "NAME" });

    public static readonly Option<bool> PrimaryNetwork = Command.Add(new Option<bool>(
        "--primary-network", Values.Boolean, "be the pod network: write the sluice-bridge configuration from this node's spec.podCIDRs and route other nodes' pod CIDRs via their InternalIP")
    { Variable = "PRIMARY_NETWORK", Default = "false", ValueName = "BOOL" });

    public static readonly Option<IReadOnlyList<IPNetwork>> ClusterCidrs = Command.Add(new Option<IReadOnlyList<IPNetwork>>(
        "--cluster-cidr", CidrList, "the cluster's pod network, comma-separated for dual stack (required with --primary-network): accepted in FORWARD, not masqueraded")
    { Variable = "CLUSTER_CIDR", Default = "", ValueName = "CIDRS" });

    public static readonly Option<string> IpamDataDir = Command.Add(new Option<string>(
        "--ipam-data-dir", Values.AbsolutePath, "where sluice-ipam keeps the pod network's allocations (primary-network mode; host-local's layout)")
    { Variable = "IPAM_DATA_DIR", Default = "/var/lib/cni/networks", ValueName = "DIR" });

    public static readonly Option<int> PodMtu = Command.Add(new Option<int>(
        "--pod-mtu", Mtu, "primary-network mode: the pods' MTU, 576-65535 (at least 1280 with an IPv6 cluster CIDR); 0: the MTU of the link that holds this node's InternalIP, less the backend's overhead")
    { Variable = "POD_MTU", Default = "0", ValueName = "BYTES" });

    public static readonly Option<Network.NetworkBackend> Backend = Command.Add(new Option<Network.NetworkBackend>(
        "--backend", Network.NetworkBackends.Parse, "primary-network mode: how pods reach other nodes: host-gw (a route per node via its InternalIP; every node on one link) or vxlan (a VXLAN device per family; any routed underlay, UDP port --vxlan-port open between nodes)")
    { Variable = "BACKEND", Default = "host-gw", ValueName = "NAME" });

    public static readonly Option<bool> DirectRouting = Command.Add(new Option<bool>(
        "--direct-routing", Values.Boolean, "vxlan backend: nodes on one of this node's subnets are reached by direct routes, as with host-gw; the others over VXLAN")
    { Variable = "DIRECT_ROUTING", Default = "false", ValueName = "BOOL" });

    public static readonly Option<uint> VxlanVni = Command.Add(new Option<uint>(
        "--vxlan-vni", Network.VxlanOptions.ParseVni, "vxlan backend: the VXLAN network identifier, 1-16777215, the same on every node")
    { Variable = "VXLAN_VNI", Default = "1", ValueName = "VNI" });

    public static readonly Option<int> VxlanPort = Command.Add(new Option<int>(
        "--vxlan-port", Values.Port, "vxlan backend: the UDP port VXLAN packets are sent to and received on, the same on every node (8472: flannel's and the Linux kernel's default)")
    { Variable = "VXLAN_PORT", Default = "8472", ValueName = "PORT" });

    public static readonly Option<string> VxlanDevice = Command.Add(new Option<string>(
        "--vxlan-device", Network.VxlanOptions.ParseDevice, "vxlan backend: the VXLAN device's name for the IPv4 underlay; the IPv6 one's adds '6'")
    { Variable = "VXLAN_DEVICE", Default = Network.VxlanOptions.DefaultDevice, ValueName = "NAME" });

    public static readonly Option<bool> KeepOnExit = Command.Add(new Option<bool>(
        "--keep-on-exit", Values.Boolean, "leave binaries, configuration entry and kubeconfig in place on SIGTERM, so restarts and upgrades open no gap (false: remove them at every stop; 'sluice-agent uninstall' removes them)")
    { Variable = "KEEP_ON_EXIT", Default = "true", ValueName = "BOOL" });

    public static readonly Option<bool> RemoveReadinessTaint = Command.Add(new Option<bool>(
        "--remove-readiness-taint", Values.Boolean, "once ready, remove the NoSchedule taint --readiness-taint-key from this node's Node (needs --node-name; RBAC get and patch on nodes)")
    { Variable = "REMOVE_READINESS_TAINT", Default = "false", ValueName = "BOOL" });

    public static readonly Option<string> ReadinessTaintKey = Command.Add(new Option<string>(
        "--readiness-taint-key", Values.NonEmpty, "the key of the taint nodes are registered with until the agent is ready")
    { Variable = "READINESS_TAINT_KEY", Default = Nodes.ReadinessTaint.DefaultKey, ValueName = "KEY" });

    public static readonly Option<string> LogLevel = Command.Add(new Option<string>(
        "--log-level", text => Values.OneOf("a log level", "debug", "info", "warn", "error")(text.ToLowerInvariant()), "debug, info, warn or error")
    { Variable = "LOG_LEVEL", Default = "info", ValueName = "LEVEL" });

    public static readonly Option<Capture.RepairMode> RepairMode = Command.Add(new Option<Capture.RepairMode>(
        "--repair-mode", Capture.RepairModes.Parse,
        "a mesh pod found without its capture: repair (install it in place), label (sluice.io/uncaptured=true), delete (its controller recreates it) or off (report only)")
    { Variable = "REPAIR_MODE", Default = "repair", ValueName = "MODE" });

    public static readonly Option<TimeSpan> CaptureCheckPeriod = Command.Add(new Option<TimeSpan>(
        "--capture-check-period", CheckPeriod, "seconds between two checks of every pod's capture, 1-3600 (besides the check at start, on every pod change and on every rule change)")
    { Variable = "CAPTURE_CHECK_PERIOD", Default = "10", ValueName = "SECONDS" });

    public static readonly Option<IReadOnlyList<string>> ValidationContainers = Command.Add(new Option<IReadOnlyList<string>>(
        "--validation-containers", Values.Items, "init containers whose exit code 126 says the pod's capture is missing")
    { Variable = "VALIDATION_CONTAINERS", Default = "sluice-validation,istio-validation", ValueName = "LIST" });

    public static readonly Option<IReadOnlyList<string>> NetnsDirs = Command.Add(new Option<IReadOnlyList<string>>(
        "--netns-dirs", Values.AbsolutePaths, "where the runtime names pod network namespaces (searched for a pod the plugin never recorded)")
    { Variable = "NETNS_DIRS", Default = "/var/run/netns,/run/netns", ValueName = "DIRS" });

    public static readonly Option<string> ProcDir = Command.Add(new Option<string>(
        "--proc-dir", Values.AbsolutePath, "the host's /proc (hostPID), whose processes' namespaces are searched too")
    { Variable = "PROC_DIR", Default = "/proc", ValueName = "DIR" });

    public static readonly Option<(string Namespace, string Name)?> PluginServiceAccount = Command.Add(new Option<(string Namespace, string Name)?>(
        "--plugin-service-account", ServiceAccount,
        "NAMESPACE/NAME: the plugins' kubeconfig gets a token of this service account (which should only get pods) from the TokenRequest API, renewed before it expires, instead of the agent's own credential")
    { Variable = "PLUGIN_SERVICE_ACCOUNT", Default = "", ValueName = "NS/NAME" });

    /// <summary>Nothing, or NAMESPACE/NAME of two DNS labels (Kubernetes' names for namespaces and service accounts are DNS subdomains; labels are the strict common part used here).</summary>
    private static (string Namespace, string Name)? ServiceAccount(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        var parts = text.Split('/');
        return parts.Length == 2 && parts.All(IsDnsSubdomain)
            ? (parts[0], parts[1])
            : throw new InvalidValueException("is not NAMESPACE/NAME (lower-case letters, digits, '-' and '.', at most 253 characters each)");
    }

    private static bool IsDnsSubdomain(string name) =>
        name.Length is > 0 and <= 253 && IsLowerOrDigit(name[0]) && IsLowerOrDigit(name[^1]) && name.All(c => IsLowerOrDigit(c) || c is '-' or '.');

    private static bool IsLowerOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);

    /// <summary>An MTU a pod interface can have, or 0 (derive it).</summary>
    private static int Mtu(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var mtu) && (mtu == 0 || mtu is >= Network.PodMtu.Minimum and <= Network.PodMtu.Maximum)
            ? mtu
            : throw new InvalidValueException("is not an MTU (576-65535, or 0 to derive it from the node's link)");

    /// <summary>Seconds between two full capture checks: 1 to 3600.</summary>
    private static TimeSpan CheckPeriod(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds is >= 1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidValueException("is not a number of seconds (1-3600)");

    /// <summary>A file name in the configuration directory that the runtime reads: no directory, no leading dot, .conflist.</summary>
    private static string ConflistName(string text) =>
        text.Length > 0 && !text.Contains('/', StringComparison.Ordinal) && !text.StartsWith('.') && text.EndsWith(".conflist", StringComparison.Ordinal)
            ? text
            : throw new InvalidValueException("is not a .conflist file name (no directory, no leading dot)");

    /// <summary>A JSON object (or nothing: the default entry).</summary>
    private static string JsonObjectText(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object ? text : throw new InvalidValueException("is not a JSON object");
        }
        catch (JsonException)
        {
            throw new InvalidValueException("is not a JSON object");
        }
    }

    /// <summary>Network addresses with their prefix length; host bits set (10.244.1.5/16) are refused.</summary>
    private static List<IPNetwork> CidrList(string text)
    {
        var networks = new List<IPNetwork>();
        foreach (var item in Values.Items(text))
        {
            networks.Add(Sluice.Net.Cidr.TryParse(item, out var network)
                ? network
                : throw new InvalidValueException($"is not a list of CIDRs: '{item}' is not a network address with a prefix length (e.g. 10.244.0.0/16)"));
        }

        return networks;
    }
}
