namespace Sluice.Linux.Processes;

/// <summary>What a finished child printed and how it ended.</summary>
/// <param name="OutputCut">The child printed more than <see cref="ChildOptions.MaxOutputChars"/> and was killed; the output is its first part.</param>
public sealed record ChildOutput(int ExitCode, string Stdout, string Stderr, bool OutputCut = false);
