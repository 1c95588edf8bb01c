using Sluice.CommandLine;

namespace Sluice.Agent.Settings;

/// <summary>
/// Every setting of sluice-agent, typed (declared in <see cref="AgentOptions"/>: each both a flag
/// and an environment variable, as a DaemonSet sets env). A flag wins over the variable, the
/// variable over the default. A bad value stops the agent at start with a message that names the
/// setting as it was given.
/// </summary>
public sealed record AgentSettings
{
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

    public bool KeepOnExit { get; init; } = true;

    /// <summary>Chained mode through Sluice's own copy of the primary's file (<see cref="OwnedConflistName"/>) instead of an entry in it.</summary>
    public bool OwnedConflist { get; init; }

    /// <summary>Whether the agent removes <see cref="ReadinessTaintKey"/> (NoSchedule) from its Node once ready.</summary>
    public bool RemoveReadinessTaint { get; init; }

    public string ReadinessTaintKey { get; init; } = Nodes.ReadinessTaint.DefaultKey;

    /// <summary>The owned copy's file name (sorting before the primary's).</summary>
    public string OwnedConflistName { get; init; } = "01-sluice.conflist";

    /// <summary>Whether sluice-redirect is chained after the pod network (the primary's file, or ours in primary mode).</summary>
    public bool Chained { get; init; } = true;

    /// <summary>Whether the agent is the pod network: the sluice-bridge configuration and routes to other nodes.</summary>
    public bool PrimaryNetwork { get; init; }

    /// <summary>The cluster's pod network (primary mode).</summary>
    public IReadOnlyList<System.Net.IPNetwork> ClusterCidrs { get; init; } = [];

    /// <summary>The pods' MTU as the operator set it (primary mode); null: derived from the link that holds the node's InternalIP.</summary>
    public int? PodMtu { get; init; }

    /// <summary>How pods reach other nodes (primary mode).</summary>
    public Network.NetworkBackend Backend { get; init; }

    /// <summary>VXLAN backend: nodes on this node's subnets get direct routes.</summary>
    public bool DirectRouting { get; init; }

    /// <summary>VXLAN backend: the tunnel.</summary>
    public Network.VxlanOptions Vxlan { get; init; } = Network.VxlanOptions.Default;

    /// <summary>sluice-ipam's store for the pod network (primary mode).</summary>
    public string IpamDataDir { get; init; } = "/var/lib/cni/networks";

    /// <summary>
    /// The file the agent owns when it is not chaining into another plugin's: the pod network's
    /// (sorted first, so the runtime uses it) or sluice-redirect alone (for a meta plugin such as Multus to reference).
    /// </summary>
    public string OwnConfFileName => CniConfFileName ?? (PrimaryNetwork ? "05-sluice.conflist" : "zz-sluice-redirect.conflist");

    public string LogLevel { get; init; } = "info";

    /// <summary>What the capture reconciler does about a mesh pod without its capture.</summary>
    public Capture.RepairMode RepairMode { get; init; } = Capture.RepairMode.Repair;

    /// <summary>The service account whose tokens (TokenRequest API) the plugins' kubeconfig carries; null: the agent's own credential.</summary>
    public (string Namespace, string Name)? PluginServiceAccount { get; init; }

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
    /// <exception cref="CommandLineException">A setting is unknown, missing its value or malformed, or settings do not fit together.</exception>
    public static AgentSettings? Parse(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TextWriter helpOutput)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(helpOutput);
        var line = AgentOptions.Command.Parse(arguments, environment);
        if (line.HelpRequested)
        {
            helpOutput.Write(AgentOptions.Command.Help());
            return null;
        }

        return From(line);
    }

    /// <summary>The settings from a parsed command line (the agent's, or a subcommand's that includes its options).</summary>
    /// <exception cref="CommandLineException">Settings that do not fit together.</exception>
    internal static AgentSettings From(ParseResult line) => new AgentSettings
    {
        CniBinDirs = line.Get(AgentOptions.CniBinDirs),
        CniConfDir = line.Get(AgentOptions.CniConfDir),
        CniConfFileName = NullIfEmpty(line.Get(AgentOptions.CniConfFileName)),
        SourceDir = line.Get(AgentOptions.SourceDir),
        RunDir = line.Get(AgentOptions.RunDir),
        Kubeconfig = NullIfEmpty(line.Get(AgentOptions.Kubeconfig)),
        NodeName = NullIfEmpty(line.Get(AgentOptions.NodeName)),
        HealthPort = line.Get(AgentOptions.HealthPort),
        Profile = line.Get(AgentOptions.Profile),
        ExcludeNamespaces = line.Get(AgentOptions.ExcludeNamespaces),
        PluginConfig = NullIfEmpty(line.Get(AgentOptions.PluginConfig)),
        KeepOnExit = line.Get(AgentOptions.KeepOnExit),
        OwnedConflist = line.Get(AgentOptions.OwnedConflist),
        RemoveReadinessTaint = line.Get(AgentOptions.RemoveReadinessTaint),
        ReadinessTaintKey = line.Get(AgentOptions.ReadinessTaintKey),
        OwnedConflistName = line.Get(AgentOptions.OwnedConflistName),
        LogLevel = line.Get(AgentOptions.LogLevel),
        Chained = line.Get(AgentOptions.Chained),
        PrimaryNetwork = line.Get(AgentOptions.PrimaryNetwork),
        IpamDataDir = line.Get(AgentOptions.IpamDataDir),
        ClusterCidrs = line.Get(AgentOptions.ClusterCidrs),
        PodMtu = line.Get(AgentOptions.PodMtu) is > 0 and var mtu ? mtu : null,
        Backend = line.Get(AgentOptions.Backend),
        DirectRouting = line.Get(AgentOptions.DirectRouting),
        Vxlan = new Network.VxlanOptions(line.Get(AgentOptions.VxlanVni), line.Get(AgentOptions.VxlanPort), line.Get(AgentOptions.VxlanDevice)),
        RepairMode = line.Get(AgentOptions.RepairMode),
        CaptureCheckPeriod = line.Get(AgentOptions.CaptureCheckPeriod),
        ValidationContainers = line.Get(AgentOptions.ValidationContainers),
        NetnsDirs = line.Get(AgentOptions.NetnsDirs),
        ProcDir = line.Get(AgentOptions.ProcDir),
        PluginServiceAccount = line.Get(AgentOptions.PluginServiceAccount),
    }.Validated(line);

    /// <summary>Settings that only make sense together.</summary>
    private AgentSettings Validated(ParseResult line)
    {
        if (PrimaryNetwork && ClusterCidrs.Count == 0)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.ClusterCidrs)}: the cluster's pod network is required with PRIMARY_NETWORK=true (e.g. 10.244.0.0/16)");
        }

        if (PrimaryNetwork && NodeName is null)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.NodeName)}: this node's name is required with PRIMARY_NETWORK=true (its spec.podCIDRs are the pods' addresses)");
        }

        if (RemoveReadinessTaint && NodeName is null)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.NodeName)}: this node's name is required with REMOVE_READINESS_TAINT=true (the taint is on its Node)");
        }

        if (OwnedConflist && (PrimaryNetwork || !Chained))
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.OwnedConflist)}: the owned conflist is a way of chaining into another plugin's file: only with CHAINED=true and PRIMARY_NETWORK=false");
        }

        if (!PrimaryNetwork && ClusterCidrs.Count > 0)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.ClusterCidrs)}: only used with PRIMARY_NETWORK=true");
        }

        if (!PrimaryNetwork && PodMtu is not null)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.PodMtu)}: only used with PRIMARY_NETWORK=true");
        }

        if (!PrimaryNetwork && Backend != Network.NetworkBackend.HostGw)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.Backend)}: only used with PRIMARY_NETWORK=true");
        }

        if (DirectRouting && Backend != Network.NetworkBackend.Vxlan)
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.DirectRouting)}: only used with BACKEND=vxlan (host-gw routes every node directly)");
        }

        if (PodMtu < Network.PodMtu.Floor(ClusterCidrs))
        {
            throw new CommandLineException($"{line.SourceOf(AgentOptions.PodMtu)}: {PodMtu} is below {Network.PodMtu.MinimumIPv6}, the smallest MTU IPv6 allows, and the cluster's pod network has IPv6 ({line.SourceOf(AgentOptions.ClusterCidrs)})");
        }

        return this;
    }

    /// <summary>The help text: every setting with its flag, variable and default.</summary>
    public static string Help() => AgentOptions.Command.Help();

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}
