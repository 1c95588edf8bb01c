using Sluice.Capture.Policy;

namespace Sluice.Redirect;

/// <summary>What to do for a pod: capture with a policy, or leave it alone; and why, in words for the log.</summary>
public sealed record CaptureDecision(bool Capture, string Reason, CapturePolicy? Policy)
{
    public static CaptureDecision Skip(string reason) => new(false, reason, null);

    public static CaptureDecision With(CapturePolicy policy, string reason) => new(true, reason, policy);

    public override string ToString() => Capture ? string.Concat("capture: ", Reason, "; ", Policy?.ToString()) : "no capture: " + Reason;
}
