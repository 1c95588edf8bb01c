namespace Sluice.Linux.Processes;

/// <summary>What a child gets besides its arguments, and how much of its output is kept.</summary>
public sealed class ChildOptions
{
    /// <summary>Variables set in the child's environment on top of this process's; a null value removes the variable.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Environment { get; init; } = [];

    /// <summary>The most characters read from each of standard output and standard error; past it the child is killed.</summary>
    public int MaxOutputChars { get; init; } = int.MaxValue;
}
