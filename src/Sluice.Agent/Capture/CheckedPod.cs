namespace Sluice.Agent.Capture;

/// <summary>
/// One pod as the reconciler last found it, published for readers on other threads (the
/// status socket): where it stands, why, and the repairs the agent made.
/// </summary>
/// <param name="Invalid">It must be captured but its capture settings are invalid.</param>
/// <param name="LastRepair">When the agent last put its rules back, and what it had found.</param>
public sealed record CheckedPod(
    string Namespace,
    string Name,
    CaptureState State,
    string Why,
    bool Invalid,
    int Repairs,
    (DateTimeOffset At, string Found)? LastRepair)
{
    internal static CheckedPod Of(string key, TrackedPod tracked)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return new CheckedPod(key[..slash], key[(slash + 1)..], tracked.State, tracked.Why, tracked.Invalid, tracked.Repairs, tracked.LastRepair);
    }
}
