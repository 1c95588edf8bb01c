namespace Sluice.Agent.Capture;

/// <summary>The reconciler's memory of one pod (by UID): what it last found, and when it may act again. Used on the reconciler's thread only.</summary>
internal sealed class TrackedPod(string uid)
{
    /// <summary>Between two repairs of one pod, however often its rules are removed.</summary>
    public static readonly TimeSpan MinRepairInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts that keep failing.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    /// <summary>The first wait before looking again for a namespace that was not found; it doubles while none is.</summary>
    public static readonly TimeSpan FirstSearchRetry = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long after a change to its rules that left a pod without its capture it is checked again
    /// (then after twice and four times as long): whoever changed them may not be done (the
    /// notification comes with the first nftables change; the addresses and routes that follow send none).
    /// </summary>
    public static readonly TimeSpan SettleAfterRuleChange = TimeSpan.FromMilliseconds(300);

    /// <summary>How many checks follow a rule change that left the pod without its capture.</summary>
    public const int SettleChecks = 3;

    public string Uid { get; } = uid;

    /// <summary>What was derived from the pod object checked last (reused while the object is the same).</summary>
    public PodPlan? Plan { get; set; }

    public CaptureState State { get; set; } = CaptureState.Pending;

    /// <summary>Why the pod is in its <see cref="State"/>, in words (for <c>sluice-agent status</c>).</summary>
    public string Why { get; set; } = "not checked yet";

    /// <summary>It must be captured but its capture settings are invalid (sluice-redirect refuses its ADD).</summary>
    public bool Invalid { get; set; }

    /// <summary>Repairs that put its rules back.</summary>
    public int Repairs { get; set; }

    /// <summary>When the last repair was made, and what it found.</summary>
    public (DateTimeOffset At, string Found)? LastRepair { get; set; }

    /// <summary>When the next repair, label or delete may start (Environment.TickCount64).</summary>
    public long NextAttempt { get; set; }

    /// <summary>When an outcome put off (rate limit, backoff) is due again; null when none is waiting.</summary>
    public long? RetryAt { get; set; }

    /// <summary>Attempts that failed in a row.</summary>
    public int Failures { get; set; }

    /// <summary>Checks made since a rule change left the pod without its capture (<see cref="SettleChecks"/> at most).</summary>
    public int Settles { get; set; } = SettleChecks;

    /// <summary>Checks in a row that found no namespace holding the pod's addresses.</summary>
    public int Misses { get; set; }

    /// <summary>When the reconciler first saw the pod with the addresses it has now (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public long AddressesSeenAt { get; set; }

    /// <summary>A label or delete request is on its way to the API server.</summary>
    public bool ActionInFlight { get; set; }

    /// <summary>The reason already reported for the current episode without capture (modes that report once).</summary>
    public string? Reported { get; set; }

    /// <summary>The restart count of the validation failure already acted on.</summary>
    public int? HandledValidation { get; set; }

    /// <summary>The plugin recorded this pod's sandbox once: without a record now, it is being torn down, not uncaptured.</summary>
    public bool SawRecord { get; set; }

    /// <summary>The last note logged about the pod's namespace (logged again only when it changes).</summary>
    public string? Note { get; set; }

    public bool MayActAt(long now) => !ActionInFlight && now >= NextAttempt;

    /// <summary>Whether an outcome may start now; when not, and none is on its way, the pod is looked at again once it may.</summary>
    public bool MayActOrRetry(long now)
    {
        if (MayActAt(now))
        {
            return true;
        }

        RetryAt = ActionInFlight ? null : NextAttempt;
        return false;
    }

    /// <summary>
    /// No namespace holds the pod's addresses (yet): looked for again after 250 ms, 500 ms, 1 s …
    /// up to <paramref name="longest"/> (the full pass's period), not only at the next full pass.
    /// </summary>
    public void SearchAgainLater(long now, TimeSpan longest)
    {
        Misses++;
        var wait = Math.Min(FirstSearchRetry.TotalMilliseconds * Math.Pow(2, Math.Min(Misses - 1, 16)), longest.TotalMilliseconds);
        RetryAt = now + (long)wait;
    }

    /// <summary>
    /// The pod was found without its capture: after a rule change (<paramref name="rulesChanged"/>)
    /// it is checked again after 300 ms, 600 ms and 1.2 s while it stays so; otherwise only the
    /// checks left from such a change are made.
    /// </summary>
    public void SettleLater(long now, bool rulesChanged)
    {
        if (rulesChanged)
        {
            Settles = 0;
        }

        if (Settles < SettleChecks)
        {
            RetryAt = now + (long)(SettleAfterRuleChange.TotalMilliseconds * (1 << Settles));
            Settles++;
        }
    }

    public void Succeeded(long now)
    {
        Failures = 0;
        NextAttempt = now + (long)MinRepairInterval.TotalMilliseconds;
    }

    /// <summary>Counts a failure and pushes the next attempt back: 1, 2, 4 … 60 s.</summary>
    public void Failed(long now)
    {
        Failures++;
        var wait = Math.Min(MinRepairInterval.TotalMilliseconds * Math.Pow(2, Math.Min(Failures - 1, 16)), MaxBackoff.TotalMilliseconds);
        NextAttempt = now + (long)wait;
        RetryAt = NextAttempt;
    }
}
