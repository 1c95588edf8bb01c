namespace Sluice.Agent.Status;

/// <summary>The words of <see cref="CaptureState"/> in the status JSON (kebab case) and back.</summary>
public static class CaptureStates
{
    private static readonly (CaptureState State, string Text)[] Names =
    [
        (CaptureState.Unknown, "unknown"),
        (CaptureState.NeedsCapture, "needs-capture"),
        (CaptureState.NotNeeded, "not-needed"),
        (CaptureState.Invalid, "invalid"),
        (CaptureState.Captured, "captured"),
        (CaptureState.Missing, "missing"),
        (CaptureState.Repaired, "repaired"),
        (CaptureState.Pending, "pending"),
    ];

    public static string Text(this CaptureState state) => Array.Find(Names, n => n.State == state).Text ?? "unknown";

    /// <summary>The state a text names; <see cref="CaptureState.Unknown"/> for any other text (a newer agent's state).</summary>
    public static CaptureState Parse(string? text) => Array.Find(Names, n => n.Text == text) is { Text: not null } found ? found.State : CaptureState.Unknown;
}
