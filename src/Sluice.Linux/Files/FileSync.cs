namespace Sluice.Linux.Files;

/// <summary>How much of a write must reach the disk before the call returns.</summary>
public enum FileSync
{
    /// <summary>Atomic against a crash of the process (rename/link), not against power loss.</summary>
    None,

    /// <summary>The content is on disk before the name appears; the directory entry may still be lost on power loss.</summary>
    Data,

    /// <summary>Content and directory entry are both on disk.</summary>
    DataAndDirectory,
}
