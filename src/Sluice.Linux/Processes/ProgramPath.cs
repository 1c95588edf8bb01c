namespace Sluice.Linux.Processes;

/// <summary>
/// Finds the system's programs (iptables' restore and save tools, kubeconfig exec credential
/// plugins given by bare name) on one fixed search path (kubectl's default PATH order),
/// <see cref="SearchPath"/>: never in the working directory, on the caller's <c>PATH</c>, or beside
/// this executable, where a runtime's working directory or a writable bin directory could plant one.
/// </summary>
public static class ProgramPath
{
    /// <summary>Where programs are looked for, in order.</summary>
    public static IReadOnlyList<string> SearchPath { get; } = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The absolute path of <paramref name="name"/> in <see cref="SearchPath"/>, or null when none has it.</summary>
    public static string? Find(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a program name", nameof(name));
        }

        foreach (var directory in SearchPath)
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
