namespace Sluice.Agent.Status;

/// <summary>
/// What the agent knows of one pod's capture. With the capture reconciler it checks the rules
/// (<see cref="Captured"/>, <see cref="Missing"/>, <see cref="Repaired"/>, <see cref="Pending"/>);
/// from the decision alone it knows <see cref="NeedsCapture"/>, <see cref="NotNeeded"/> and <see cref="Invalid"/>.
/// </summary>
public enum CaptureState
{
    /// <summary>
    /// The agent cannot tell (no network namespace on this node holds the pod's addresses, or its
    /// rules could not be read), or a state this status command does not know (a newer agent's).
    /// </summary>
    Unknown,

    /// <summary>The decision says capture; the rules were not checked.</summary>
    NeedsCapture,

    /// <summary>The decision says no capture.</summary>
    NotNeeded,

    /// <summary>A malformed annotation: sluice-redirect refuses the pod's ADD (fail closed).</summary>
    Invalid,

    /// <summary>Needs capture and its rules are in place.</summary>
    Captured,

    /// <summary>Needs capture and its rules are not in place.</summary>
    Missing,

    /// <summary>Its rules were missing and the agent put them back.</summary>
    Repaired,

    /// <summary>Needs capture; it has no network namespace yet (its sandbox is being made).</summary>
    Pending,
}
