namespace Sluice.Kube.Client;

/// <summary>
/// How long a <see cref="KubeClient"/> waits and how often it tries again. The defaults keep
/// a CNI ADD that asks the API server bounded: 2 s per attempt, 3 attempts, 100 ms backoff
/// doubling, and never more than 10 s in all.
/// </summary>
public sealed class KubeClientOptions
{
    /// <summary>The longest one attempt may take (for a watch: until the response headers arrive).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest a call may take over all its attempts and backoff pauses.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many times a call is tried when the failure is one worth retrying.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The pause before the second attempt; it doubles for each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest pause between two attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(2);

    internal void Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero || TotalTimeout <= TimeSpan.Zero || MaxAttempts < 1 || InitialBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException("KubeClientOptions: timeouts must be positive, MaxAttempts at least 1 and InitialBackoff not negative");
        }
    }
}
