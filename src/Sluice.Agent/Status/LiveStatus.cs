using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>What only the running agent knows, as it answers on its status socket: readiness, this node's pods and their capture, routes, the plugins' last errors.</summary>
public sealed class LiveStatus
{
    public static JsonShape<LiveStatus> Shape { get; } = new JsonShape<LiveStatus>(() => new LiveStatus(), KeyMatch.Exact)
        .Boolean("ready", s => s.Ready, (s, v) => s.Ready = v ?? false)
        .Text("notReadyBecause", s => s.NotReadyBecause, (s, v) => s.NotReadyBecause = v)
        .List("pods", PodCapture.Shape, s => s.Pods, (s, v) => s.Pods = v)
        .Text("podsUnknownBecause", s => s.PodsUnknownBecause, (s, v) => s.PodsUnknownBecause = v)
        .Object("podMtu", PodMtuStatus.Shape, s => s.PodMtu, (s, v) => s.PodMtu = v)
        .List("routes", RouteEntry.Shape, s => s.Routes, (s, v) => s.Routes = v)
        .TextList("routeProblems", s => s.RouteProblems, (s, v) => s.RouteProblems = v)
        .List("pluginErrors", PluginError.Shape, s => s.PluginErrors, (s, v) => s.PluginErrors = v ?? []);

    public bool Ready { get; set; }

    public string? NotReadyBecause { get; set; }

    /// <summary>This node's pods; null when the agent does not know them (<see cref="PodsUnknownBecause"/> says why).</summary>
    public List<PodCapture>? Pods { get; set; }

    public string? PodsUnknownBecause { get; set; }

    /// <summary>The pods' MTU in the pod network's configuration; null outside primary-network mode (or before the file was first written).</summary>
    public PodMtuStatus? PodMtu { get; set; }

    /// <summary>Routes to other nodes' pods; null outside primary-network mode (or before the first pass).</summary>
    public List<RouteEntry>? Routes { get; set; }

    public List<string>? RouteProblems { get; set; }

    public List<PluginError> PluginErrors { get; set; } = [];
}
