namespace Sluice.Agent.Status;

/// <summary>
/// What the agent knows of one pod's capture. Today's agent knows the decision only
/// (<see cref="NeedsCapture"/>, <see cref="NotNeeded"/>, <see cref="Invalid"/>); a source that
/// checks the pods' rules reports <see cref="Captured"/>, <see cref="Missing"/> or <see cref="Repaired"/>.
/// </summary>
public enum CaptureState
{
    /// <summary>A state this status command does not know (a newer agent's).</summary>
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
}
