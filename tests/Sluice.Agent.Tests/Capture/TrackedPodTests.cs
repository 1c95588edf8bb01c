using Sluice.Agent.Capture;

namespace Sluice.Agent.Tests.Capture;

/// <summary>One pod's rate limit and backoff.</summary>
public sealed class TrackedPodTests
{
    [Fact]
    public void Succeeded_AllowsTheNextRepairAfterOneSecond()
    {
        var pod = new TrackedPod("u");

        pod.Succeeded(1000);

        Assert.False(pod.MayActAt(1999));
        Assert.True(pod.MayActAt(2000));
    }

    [Fact]
    public void Failed_DoublesTheWaitUpToOneMinute()
    {
        var pod = new TrackedPod("u");
        var waits = new List<long>();

        for (var i = 0; i < 9; i++)
        {
            pod.Failed(0);
            waits.Add(pod.NextAttempt);
        }

        Assert.Equal([1000L, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000], waits);
    }

    [Fact]
    public void Succeeded_AfterFailures_StartsTheBackoffAgain()
    {
        var pod = new TrackedPod("u");
        pod.Failed(0);
        pod.Failed(0);

        pod.Succeeded(0);
        pod.Failed(10_000);

        Assert.Equal(11_000, pod.NextAttempt);
    }

    [Fact]
    public void MayActOrRetry_WhenPutOff_AsksToBeLookedAtAgainOnceItMay()
    {
        var pod = new TrackedPod("u");
        pod.Succeeded(1000);

        Assert.False(pod.MayActOrRetry(1500));
        Assert.Equal(2000, pod.RetryAt);
    }

    [Fact]
    public void MayActOrRetry_WhileAnActionIsInFlight_AsksForNoRetry()
    {
        var pod = new TrackedPod("u") { ActionInFlight = true };

        Assert.False(pod.MayActOrRetry(0));
        Assert.Null(pod.RetryAt);
    }

    [Fact]
    public void MayActAt_IsFalseWhileAnActionIsInFlight() =>
        Assert.False(new TrackedPod("u") { ActionInFlight = true }.MayActAt(long.MaxValue));

    [Fact]
    public void SearchAgainLater_DoublesFromAQuarterSecondUpToThePeriod()
    {
        var pod = new TrackedPod("u");
        var retries = new List<long?>();

        for (var i = 0; i < 8; i++)
        {
            pod.SearchAgainLater(0, TimeSpan.FromSeconds(10));
            retries.Add(pod.RetryAt);
        }

        Assert.Equal([250L, 500, 1000, 2000, 4000, 8000, 10_000, 10_000], retries);
        Assert.Equal(8, pod.Misses);
    }

    [Fact]
    public void SettleLater_AfterARuleChange_ChecksAgainThreeTimes_ThenNoMore()
    {
        var pod = new TrackedPod("u");
        var retries = new List<long?>();

        pod.SettleLater(0, rulesChanged: true);
        retries.Add(pod.RetryAt);
        for (var i = 0; i < 3; i++)
        {
            pod.RetryAt = null;
            pod.SettleLater(0, rulesChanged: false);
            retries.Add(pod.RetryAt);
        }

        Assert.Equal([300L, 600, 1200, null], retries);
    }

    [Fact]
    public void SettleLater_WithoutARuleChange_AsksForNothing()
    {
        var pod = new TrackedPod("u");

        pod.SettleLater(0, rulesChanged: false);

        Assert.Null(pod.RetryAt);
    }
}
