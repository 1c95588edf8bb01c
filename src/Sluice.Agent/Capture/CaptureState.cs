namespace Sluice.Agent.Capture;

/// <summary>Where a pod stands, as <c>sluice_capture_pods{state}</c> counts it.</summary>
public enum CaptureState
{
    /// <summary>Must be captured, and its rules are exactly in place.</summary>
    Captured,

    /// <summary>Must be captured, and is not (its rules are absent or differ, or its validation container failed); the mode's outcome applies.</summary>
    Missing,

    /// <summary>Must be captured; it has no network namespace yet (no addresses, no sandbox record).</summary>
    Pending,

    /// <summary>Must be captured, has addresses, but no namespace on this node holds them (or several do): nothing is touched.</summary>
    Unknown,

    /// <summary>Not to be captured (host network, excluded, no mesh, finished).</summary>
    NotNeeded,
}
