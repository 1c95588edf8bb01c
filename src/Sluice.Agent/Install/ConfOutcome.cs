namespace Sluice.Agent.Install;

/// <summary>What a pass over the CNI configuration found or did.</summary>
public enum ConfState
{
    /// <summary>No configuration to chain into yet (the primary plugin has not written one).</summary>
    Waiting,

    /// <summary>Our entry was already there, last and alone.</summary>
    InPlace,

    /// <summary>The file was (re)written with our entry.</summary>
    Written,

    /// <summary>Our own file was rewritten because what it should hold changed (new pod CIDRs, a new pod MTU), not because someone else changed it.</summary>
    Updated,

    /// <summary>The primary file is not a CNI configuration; it was left untouched.</summary>
    Invalid,

    /// <summary>The primary's file is gone and Sluice's owned copy of it stays (the runtime keeps capturing with it).</summary>
    Kept,
}

/// <summary>The state, the file concerned and a sentence for the log.</summary>
public sealed record ConfOutcome(ConfState State, string? Path, string Detail);
