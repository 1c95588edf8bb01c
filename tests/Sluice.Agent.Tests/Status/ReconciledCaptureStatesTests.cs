using Sluice.Agent.Capture;
using Sluice.Agent.Status;
using StatusState = Sluice.Agent.Status.CaptureState;

namespace Sluice.Agent.Tests.Status;

/// <summary>What <c>sluice-agent status</c> says of a pod from the capture reconciler's last findings.</summary>
public sealed class ReconciledCaptureStatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 15, 0, 0, TimeSpan.Zero);

    private static PodCapture Single(CheckedPod pod) =>
        Assert.Single(new ReconciledCaptureStates(() => [pod], new FixedClock(Now)).Pods());

    private static CheckedPod Pod(Sluice.Agent.Capture.CaptureState state, string why = "why", bool invalid = false, int repairs = 0, (DateTimeOffset, string)? last = null) =>
        new("shop", "reviews", state, why, invalid, repairs, last);

    [Fact]
    public void Synced_OnlyOnceTheReconcilerHasPublishedItsFindings()
    {
        IReadOnlyList<CheckedPod>? findings = null;
        var states = new ReconciledCaptureStates(() => findings, new FixedClock(Now));
        Assert.False(states.Synced);

        findings = [];

        Assert.True(states.Synced);
        Assert.Empty(states.Pods());
    }

    [Theory]
    [InlineData(Sluice.Agent.Capture.CaptureState.Captured, false, StatusState.Captured)]
    [InlineData(Sluice.Agent.Capture.CaptureState.Missing, false, StatusState.Missing)]
    [InlineData(Sluice.Agent.Capture.CaptureState.Missing, true, StatusState.Invalid)]
    [InlineData(Sluice.Agent.Capture.CaptureState.Pending, false, StatusState.Pending)]
    [InlineData(Sluice.Agent.Capture.CaptureState.Unknown, false, StatusState.Unknown)]
    [InlineData(Sluice.Agent.Capture.CaptureState.NotNeeded, false, StatusState.NotNeeded)]
    public void EachReconcilerState_IsShownWithItsReason(Sluice.Agent.Capture.CaptureState found, bool invalid, StatusState shown)
    {
        var pod = Single(Pod(found, "the reason in words", invalid));

        Assert.Equal(("shop", "reviews", shown, "the reason in words"), (pod.Namespace, pod.Name, pod.State, pod.Reason));
    }

    [Fact]
    public void CapturedAfterRepairs_IsRepaired_WithHowOftenHowLongAgoAndWhatWasFound()
    {
        var pod = Single(Pod(Sluice.Agent.Capture.CaptureState.Captured, repairs: 3, last: (Now.AddSeconds(-42), "no capture rules in its network namespace")));

        Assert.Equal(StatusState.Repaired, pod.State);
        Assert.Equal("rules put back 3 times, the last 42 s ago: no capture rules in its network namespace", pod.Reason);
    }

    [Fact]
    public void RepairedPodWhoseRulesAreMissingAgain_IsMissing()
    {
        var pod = Single(Pod(Sluice.Agent.Capture.CaptureState.Missing, "its rules differ", repairs: 1, last: (Now.AddMinutes(-5), "absent")));

        Assert.Equal((StatusState.Missing, "its rules differ"), (pod.State, pod.Reason));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
