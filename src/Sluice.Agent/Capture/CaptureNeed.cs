using Sluice.Capture.Policy;

namespace Sluice.Agent.Capture;

/// <summary>Whether a pod must be captured: not at all (and why), with a policy, or it should be but its settings are invalid.</summary>
public sealed record CaptureNeed(CaptureNeedKind Kind, string Reason, CapturePolicy? Policy = null)
{
    public static CaptureNeed NotNeeded(string reason) => new(CaptureNeedKind.NotNeeded, reason);

    public static CaptureNeed With(CapturePolicy policy, string reason) => new(CaptureNeedKind.Capture, reason, policy);

    public static CaptureNeed Invalid(string reason) => new(CaptureNeedKind.Invalid, reason);
}

/// <summary>The three answers of <see cref="DesiredCapture"/>.</summary>
public enum CaptureNeedKind
{
    /// <summary>Never touched: host network, another node, finished, excluded, or the decision skips it.</summary>
    NotNeeded,

    /// <summary>Must be captured with the policy.</summary>
    Capture,

    /// <summary>Must be captured, but its annotations are invalid (the plugin fails its ADD); it runs only if it started without the plugin.</summary>
    Invalid,
}
