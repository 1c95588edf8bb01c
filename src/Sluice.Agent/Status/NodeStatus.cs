using Sluice.Agent.Settings;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>The whole status of this node: the facts on disk, read by the command itself, and the running agent's answer (or why there is none).</summary>
public sealed class NodeStatus
{
    public static JsonShape<NodeStatus> Shape { get; } = new JsonShape<NodeStatus>(() => new NodeStatus(), KeyMatch.Exact)
        .Text("node", s => s.Node, (s, v) => s.Node = v)
        .Text("version", s => s.Version, (s, v) => s.Version = v ?? "")
        .Boolean("agentAnswering", s => s.Agent is not null, (_, _) => { })
        .Text("agentNotAnsweringBecause", s => s.AgentNotAnsweringBecause, (s, v) => s.AgentNotAnsweringBecause = v)
        .Object("agent", LiveStatus.Shape, s => s.Agent, (s, v) => s.Agent = v)
        .Object("conflist", ConflistStatus.Shape, s => s.Conflist, (s, v) => s.Conflist = v ?? new())
        .List("binaries", BinaryStatus.Shape, s => s.Binaries, (s, v) => s.Binaries = v ?? [])
        .Object("kubeconfig", KubeconfigStatus.Shape, s => s.Kubeconfig, (s, v) => s.Kubeconfig = v ?? new());

    public string? Node { get; set; }

    /// <summary>This sluice-agent's version; the binaries are compared with its own copies.</summary>
    public string Version { get; set; } = "";

    /// <summary>The running agent's answer; null when none answered.</summary>
    public LiveStatus? Agent { get; set; }

    public string? AgentNotAnsweringBecause { get; set; }

    public ConflistStatus Conflist { get; set; } = new();

    public List<BinaryStatus> Binaries { get; set; } = [];

    public KubeconfigStatus Kubeconfig { get; set; } = new();

    /// <summary>Something an operator should look at: not ready, no place in the runtime's file, a missing or stale binary, a bad kubeconfig, a pod whose ADD fails or whose capture is missing.</summary>
    public bool HasProblem =>
        Agent is { Ready: false } || Conflist.Problem is not null || Binaries.Any(b => b.IsProblem) || Kubeconfig.Problem is not null
        || (Agent?.Pods?.Any(p => p.State is CaptureState.Invalid or CaptureState.Missing) ?? false);

    public static NodeStatus Gather(AgentSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var agent = StatusClient.Ask(StatusSocket.PathIn(settings.RunDir), out var why);
        return new NodeStatus
        {
            Node = settings.NodeName,
            Version = AgentVersion.Text,
            Agent = agent,
            AgentNotAnsweringBecause = agent is null ? why : null,
            Conflist = ConflistStatus.Read(settings),
            Binaries = BinaryStatus.Read(settings),
            Kubeconfig = KubeconfigStatus.Read(settings.PluginKubeconfig, now),
        };
    }
}
