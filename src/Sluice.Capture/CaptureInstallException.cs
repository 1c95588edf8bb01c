namespace Sluice.Capture;

/// <summary>
/// The rules read back right after an apply are not the rules that were meant (a tool that
/// accepted input it read differently, a rule lost on the way). The apply was undone.
/// </summary>
public sealed class CaptureInstallException(string backend, IReadOnlyList<string> problems)
    : Exception($"{backend} did not install the capture rules as meant ({string.Join("; ", problems)}); the apply was undone")
{
    public IReadOnlyList<string> Problems => problems;
}
