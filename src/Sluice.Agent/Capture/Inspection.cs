namespace Sluice.Agent.Capture;

/// <summary>What the inspector found in a namespace.</summary>
public sealed record Inspection(InspectionResult Result, IReadOnlyList<string> Problems, string? Why = null)
{
    public static Inspection NotThePods(string why) => new(InspectionResult.NotThePods, [], why);
}

public enum InspectionResult
{
    /// <summary>The pod's capture is exactly in place.</summary>
    InPlace,

    /// <summary>No Sluice capture rules at all.</summary>
    Absent,

    /// <summary>Sluice's rules are there but differ from the pod's policy.</summary>
    Different,

    /// <summary>The namespace is not the pod's (it does not hold the pod's addresses, it is the host's, or it is gone).</summary>
    NotThePods,
}
