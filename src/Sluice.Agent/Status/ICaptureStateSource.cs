namespace Sluice.Agent.Status;

/// <summary>Where the status server learns the capture state of this node's pods: the capture reconciler (<see cref="ReconciledCaptureStates"/>), or the decision alone (<see cref="DecisionCaptureStates"/>) where the agent runs none.</summary>
public interface ICaptureStateSource
{
    /// <summary>False until the source knows this node's pods (the first list from the API server).</summary>
    bool Synced { get; }

    /// <summary>This node's pods, ordered by namespace and name.</summary>
    IReadOnlyList<PodCapture> Pods();
}
