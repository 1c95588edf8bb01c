using System.Globalization;
using System.Text.Json;
using Sluice.Net;

namespace Sluice.Agent.Settings;

/// <summary>
/// Every setting of sluice-agent, each both a flag and an environment variable (a DaemonSet
/// sets env). A flag wins over the variable, the variable over the default. Boolean settings
/// take a value (<c>--chained true</c>). A bad value stops the agent at start with a message
/// that names the setting as it was given.
/// </summary>
public sealed record AgentSettings
{
    internal static readonly SettingDefinition[] Definitions =
    [
        new("--cni-bin-dir", "CNI_BIN_DIR", SettingKind.PathList, "/host/opt/cni/bin", "where the plugin binaries are installed (comma-separated for several)"),
        new("--cni-conf-dir", "CNI_CONF_DIR", SettingKind.Path, "/host/etc/cni/net.d", "the runtime's CNI configuration directory"),
        new("--cni-conf-file-name", "CNI_CONF_FILE_NAME", SettingKind.Text, "", "the configuration file to chain into (default: the one the runtime uses, the lexically first)"),
        new("--source-dir", "SOURCE_DIR", SettingKind.Path, "/opt/sluice/bin", "the binaries to install"),
        new("--run-dir", "RUN_DIR", SettingKind.Path, "/var/run/sluice", "where the plugins' kubeconfig and the agent's sockets live (a host path)"),
        new("--kubeconfig", "KUBECONFIG", SettingKind.Text, "", "the agent's kubeconfig when out of cluster (default: in-cluster configuration)"),
        new("--node-name", "NODE_NAME", SettingKind.Text, "", "this node's name (the downward API's spec.nodeName)"),
        new("--health-port", "HEALTH_PORT", SettingKind.Port, "9870", "port of /healthz, /readyz and /metrics (0: off)"),
        new("--profile", "PROFILE", SettingKind.Profile, "generic", "the default sluice-redirect entry's profile: msm, istio or generic"),
        new("--exclude-namespaces", "EXCLUDE_NAMESPACES", SettingKind.List, "kube-system", "namespaces whose pods are never captured (default entry)"),
        new("--plugin-config", "PLUGIN_CONFIG", SettingKind.Json, "", "the sluice-redirect entry to insert, as JSON (default: built from the settings above)"),
        new("--chained", "CHAINED", SettingKind.Boolean, "true", "insert sluice-redirect into the primary plugin's configuration (false: write Sluice's own configuration file)"),
        new("--primary-network", "PRIMARY_NETWORK", SettingKind.Boolean, "false", "be the pod network: write the sluice-bridge configuration from this node's spec.podCIDRs and route other nodes' pod CIDRs via their InternalIP"),
        new("--cluster-cidr", "CLUSTER_CIDR", SettingKind.CidrList, "", "the cluster's pod network, comma-separated for dual stack (required with --primary-network): accepted in FORWARD, not masqueraded"),
        new("--ipam-data-dir", "IPAM_DATA_DIR", SettingKind.Path, "/var/lib/cni/networks", "where sluice-ipam keeps the pod network's allocations (primary-network mode; host-local's layout)"),
        new("--keep-on-exit", "KEEP_ON_EXIT", SettingKind.Boolean, "false", "leave binaries, configuration and kubeconfig in place on SIGTERM (upgrades)"),
        new("--log-level", "LOG_LEVEL", SettingKind.Level, "info", "debug, info, warn or error"),
        new("--repair-mode", "REPAIR_MODE", SettingKind.RepairMode, "repair", "a mesh pod found without its capture: repair (install it in place), label (sluice.io/uncaptured=true), delete (its controller recreates it) or off (report only)"),
        new("--capture-check-period", "CAPTURE_CHECK_PERIOD", SettingKind.Seconds, "10", "seconds between two checks of every pod's capture (besides the check at start and on every pod change)"),
        new("--validation-containers", "VALIDATION_CONTAINERS", SettingKind.List, "sluice-validation,istio-validation", "init containers whose exit code 126 says the pod's capture is missing"),
        new("--netns-dirs", "NETNS_DIRS", SettingKind.PathList, "/var/run/netns,/run/netns", "where the runtime names pod network namespaces (searched for a pod the plugin never recorded)"),
        new("--proc-dir", "PROC_DIR", SettingKind.Path, "/proc", "the host's /proc (hostPID), whose processes' namespaces are searched too"),
    ];

    public required IReadOnlyList<string> CniBinDirs { get; init; }

    public required string CniConfDir { get; init; }

    public string? CniConfFileName { get; init; }

    public required string SourceDir { get; init; }

    public required string RunDir { get; init; }

    public string? Kubeconfig { get; init; }

    public string? NodeName { get; init; }

    public int HealthPort { get; init; }

    public string Profile { get; init; } = "generic";

    public IReadOnlyList<string> ExcludeNamespaces { get; init; } = [];

    /// <summary>The sluice-redirect entry as the operator gave it, or null for the default one.</summary>
    public string? PluginConfig { get; init; }

    public bool KeepOnExit { get; init; }

    /// <summary>Whether sluice-redirect is chained after the pod network (the primary's file, or ours in primary mode).</summary>
    public bool Chained { get; init; } = true;

    /// <summary>Whether the agent is the pod network: the sluice-bridge configuration and routes to other nodes.</summary>
    public bool PrimaryNetwork { get; init; }

    /// <summary>The cluster's pod network (primary mode).</summary>
    public IReadOnlyList<System.Net.IPNetwork> ClusterCidrs { get; init; } = [];

    /// <summary>sluice-ipam's store for the pod network (primary mode).</summary>
    public string IpamDataDir { get; init; } = "/var/lib/cni/networks";

    /// <summary>
    /// The file the agent owns when it is not chaining into another plugin's: the pod network's
    /// (sorted first, so the runtime uses it) or sluice-redirect alone (for a meta plugin such as Multus to reference).
    /// </summary>
    public string OwnConfFileName => CniConfFileName ?? (PrimaryNetwork ? "05-sluice.conflist" : "zz-sluice-redirect.conflist");

    public string LogLevel { get; init; } = "info";

    /// <summary>What the capture reconciler does about a mesh pod without its capture: repair, label, delete or off.</summary>
    public string RepairMode { get; init; } = "repair";

    /// <summary>How often every pod's capture is checked, besides at start and on every pod change.</summary>
    public TimeSpan CaptureCheckPeriod { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Init containers whose last exit code 126 says the capture is missing (Istio's validation contract).</summary>
    public IReadOnlyList<string> ValidationContainers { get; init; } = [];

    /// <summary>Directories of named network namespaces, searched for pods the plugin never recorded.</summary>
    public IReadOnlyList<string> NetnsDirs { get; init; } = [];

    /// <summary>The host's /proc, whose processes' network namespaces are searched too.</summary>
    public string ProcDir { get; init; } = "/proc";

    /// <summary>The Unix socket where the agent answers sluice-redirect's pod lookups.</summary>
    public string PodSocket => Path.Combine(RunDir, "pods.sock");

    /// <summary>The Unix datagram socket where the agent receives the plugins' log records and call outcomes.</summary>
    public string LogSocket => Path.Combine(RunDir, "log.sock");

    /// <summary>The kubeconfig the agent writes for the plugins.</summary>
    public string PluginKubeconfig => Path.Combine(RunDir, "sluice-kubeconfig");

    /// <summary>
    /// Reads the settings from <paramref name="arguments"/> and <paramref name="environment"/>.
    /// Returns null after writing the help when asked for it.
    /// </summary>
    /// <exception cref="AgentSettingsException">A setting is unknown, missing its value or malformed.</exception>
    public static AgentSettings? Parse(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TextWriter helpOutput)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(helpOutput);
        var given = new Dictionary<string, (string Value, string Source)>(StringComparer.Ordinal);
        foreach (var definition in Definitions)
        {
            if (environment.TryGetValue(definition.Variable, out var value))
            {
                given[definition.Name] = (value, definition.Variable);
            }
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is "-h" or "--help")
            {
                helpOutput.Write(Help());
                return null;
            }

            var (flag, value) = argument.Split('=', 2) is [var f, var v] ? (f, (string?)v) : (argument, null);
            var definition = Definitions.FirstOrDefault(d => d.Flag == flag)
                ?? throw new AgentSettingsException($"unknown option '{argument}' (see --help)");
            value ??= i + 1 < arguments.Count ? arguments[++i] : throw new AgentSettingsException($"{flag} needs a value");
            given[definition.Name] = (value, flag);
        }

        string Text(string name)
        {
            var definition = Definitions.First(d => d.Name == name);
            var (value, source) = given.TryGetValue(name, out var g) ? g : (definition.Default, "default of " + definition.Flag);
            return Check(definition, value.Trim(), source);
        }

        return new AgentSettings
        {
            CniBinDirs = Items(Text("cni-bin-dir")),
            CniConfDir = Text("cni-conf-dir"),
            CniConfFileName = NullIfEmpty(Text("cni-conf-file-name")),
            SourceDir = Text("source-dir"),
            RunDir = Text("run-dir"),
            Kubeconfig = NullIfEmpty(Text("kubeconfig")),
            NodeName = NullIfEmpty(Text("node-name")),
            HealthPort = int.Parse(Text("health-port"), CultureInfo.InvariantCulture),
            Profile = Text("profile"),
            ExcludeNamespaces = Items(Text("exclude-namespaces")),
            PluginConfig = NullIfEmpty(Text("plugin-config")),
            KeepOnExit = bool.Parse(Text("keep-on-exit")),
            LogLevel = Text("log-level").ToLowerInvariant(),
            Chained = bool.Parse(Text("chained")),
            PrimaryNetwork = bool.Parse(Text("primary-network")),
            IpamDataDir = Text("ipam-data-dir"),
            ClusterCidrs = Items(Text("cluster-cidr")).Select(c => Cidr.Parse(c, "--cluster-cidr")).ToList(),
            RepairMode = Text("repair-mode").ToLowerInvariant(),
            CaptureCheckPeriod = TimeSpan.FromSeconds(int.Parse(Text("capture-check-period"), CultureInfo.InvariantCulture)),
            ValidationContainers = Items(Text("validation-containers")),
            NetnsDirs = Items(Text("netns-dirs")),
            ProcDir = Text("proc-dir"),
        }.Validated(given);
    }

    /// <summary>Settings that only make sense together.</summary>
    private AgentSettings Validated(Dictionary<string, (string Value, string Source)> given)
    {
        string SourceOf(string name, string variable) => given.TryGetValue(name, out var g) ? g.Source : variable;
        if (PrimaryNetwork && ClusterCidrs.Count == 0)
        {
            throw new AgentSettingsException($"{SourceOf("cluster-cidr", "CLUSTER_CIDR")}: the cluster's pod network is required with PRIMARY_NETWORK=true (e.g. 10.244.0.0/16)");
        }

        if (PrimaryNetwork && NodeName is null)
        {
            throw new AgentSettingsException($"{SourceOf("node-name", "NODE_NAME")}: this node's name is required with PRIMARY_NETWORK=true (its spec.podCIDRs are the pods' addresses)");
        }

        if (!PrimaryNetwork && ClusterCidrs.Count > 0)
        {
            throw new AgentSettingsException($"{SourceOf("cluster-cidr", "CLUSTER_CIDR")}: only used with PRIMARY_NETWORK=true");
        }

        return this;
    }

    /// <summary>The help text: every setting with its flag, variable and default.</summary>
    public static string Help()
    {
        var text = new System.Text.StringBuilder("""
            Usage: sluice-agent [--SETTING VALUE]...
            The per-node Sluice agent: installs the plugins, their kubeconfig and CNI configuration and keeps them in place.
            Every setting is a flag or an environment variable (the flag wins).


            """);
        foreach (var d in Definitions)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {d.Flag,-22} {d.Variable,-20} {d.Help}");
            text.Append(d.Default.Length > 0 ? $" (default: {d.Default})\n" : "\n");
        }

        return text.ToString();
    }

    private static string Check(SettingDefinition definition, string value, string source)
    {
        string Bad(string why) => throw new AgentSettingsException($"{source}: '{value}' {why}");
        switch (definition.Kind)
        {
            case SettingKind.Boolean when value is not ("true" or "false"):
                return Bad("is not a boolean (true or false)");
            case SettingKind.Port when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535:
                return Bad("is not a port (0-65535)");
            case SettingKind.Level when value.ToLowerInvariant() is not ("debug" or "info" or "warn" or "error"):
                return Bad("is not a log level (debug, info, warn, error)");
            case SettingKind.Path when !value.StartsWith('/'):
                return Bad("is not an absolute path");
            case SettingKind.PathList when Items(value).Any(i => !i.StartsWith('/')):
                return Bad("is not a list of absolute paths");
            case SettingKind.Json when value.Length > 0 && !IsJsonObject(value):
                return Bad("is not a JSON object");
            case SettingKind.Profile when value is not ("msm" or "istio" or "generic"):
                return Bad("is not a profile (msm, istio or generic)");
            case SettingKind.RepairMode when value.ToLowerInvariant() is not ("repair" or "label" or "delete" or "off"):
                return Bad("is not a repair mode (repair, label, delete or off)");
            case SettingKind.Seconds when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 3600:
                return Bad("is not a number of seconds (1-3600)");
            case SettingKind.CidrList when Items(value).FirstOrDefault(c => !IsCidr(c)) is { } cidr:
                return Bad($"is not a list of CIDRs: '{cidr}' is not a network address with a prefix length (e.g. 10.244.0.0/16)");
            default:
                return value;
        }
    }

    /// <summary>A network address with its prefix length; host bits set (10.244.1.5/16) are refused.</summary>
    private static bool IsCidr(string text) => Cidr.TryParse(text, out _);

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static List<string> Items(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
