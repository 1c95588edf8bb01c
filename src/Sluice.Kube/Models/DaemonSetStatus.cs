namespace Sluice.Kube.Models;

/// <summary>How far a DaemonSet's rollout is, as its controller reports it (what <c>kubectl rollout status</c> reads).</summary>
public sealed class DaemonSetStatus
{
    /// <summary>The generation of the spec the controller has acted on.</summary>
    public long ObservedGeneration { get; set; }

    /// <summary>Nodes that should run the DaemonSet's pod.</summary>
    public int DesiredNumberScheduled { get; set; }

    /// <summary>Nodes running a pod of the current template.</summary>
    public int UpdatedNumberScheduled { get; set; }

    /// <summary>Nodes whose pod is ready (for at least minReadySeconds).</summary>
    public int NumberAvailable { get; set; }

    public int NumberReady { get; set; }
}
