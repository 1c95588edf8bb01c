namespace Sluice.Agent;

/// <summary>What the install loop did since start; written by the loop, read by /metrics from another thread.</summary>
public sealed class AgentCounters
{
    private long _installs;
    private long _reinstalls;
    private long _reconcileErrors;
    private long _routeChanges;
    private long _routeFailures;
    private long _routes;

    /// <summary>Plugin calls on this node, as the plugins reported them over the log socket.</summary>
    public Plugins.PluginCallMetrics Plugins { get; } = new();

    /// <summary>The pod lookups' answer times.</summary>
    public Pods.PodLookupMetrics Lookups { get; } = new();

    /// <summary>The capture reconciler's checks and outcomes.</summary>
    public Capture.CaptureMetrics Capture { get; } = new();

    /// <summary>Files written because they were missing or different (binaries, kubeconfig, configuration).</summary>
    public long Installs => Interlocked.Read(ref _installs);

    /// <summary>Times our configuration entry had to be put back after another component removed it.</summary>
    public long Reinstalls => Interlocked.Read(ref _reinstalls);

    public long ReconcileErrors => Interlocked.Read(ref _reconcileErrors);

    /// <summary>Routes to other nodes' pods written or removed.</summary>
    public long RouteChanges => Interlocked.Read(ref _routeChanges);

    /// <summary>Routes the kernel refused (a node's InternalIP not on a connected network).</summary>
    public long RouteFailures => Interlocked.Read(ref _routeFailures);

    /// <summary>Routes to other nodes' pods in place after the last pass.</summary>
    public long Routes => Interlocked.Read(ref _routes);

    internal void CountRouteChanges(int changes, int failures)
    {
        Interlocked.Add(ref _routeChanges, changes);
        Interlocked.Add(ref _routeFailures, failures);
    }

    internal void SetRoutes(int routes) => Interlocked.Exchange(ref _routes, routes);

    internal void CountInstall() => Interlocked.Increment(ref _installs);

    internal void CountReinstall() => Interlocked.Increment(ref _reinstalls);

    internal void CountReconcileError() => Interlocked.Increment(ref _reconcileErrors);
}
