namespace Sluice.Agent.Capture.Netns;

/// <summary>
/// Every network namespace on the node that could be a pod's: the runtime's named ones
/// (containerd and CRI-O bind them under /var/run/netns) and those of the host's processes
/// (<c>/proc/PID/ns/net</c>, with hostPID), each once (by identity), never the host's own
/// namespace nor the agent's.
/// </summary>
internal sealed class NamespaceCandidates(IReadOnlyList<string> netnsDirs, string? procDir, IReadOnlySet<string> forbidden)
{
    public IReadOnlyList<(string Path, string Identity)> List()
    {
        var seen = new HashSet<string>(forbidden, StringComparer.Ordinal);
        var found = new List<(string, string)>();
        foreach (var path in netnsDirs.SelectMany(Files).Concat(ProcessNamespaces()))
        {
            if (NamespaceIdentity.Of(path) is { } identity && seen.Add(identity))
            {
                found.Add((path, identity));
            }
        }

        return found;
    }

    /// <summary>Whether <paramref name="path"/> names a process's namespace (whose number can be reused once the process ends).</summary>
    public bool IsProcessPath(string path) => procDir is not null && path.StartsWith(procDir.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static List<string> Files(string directory)
    {
        try
        {
            return Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private List<string> ProcessNamespaces()
    {
        if (procDir is null)
        {
            return [];
        }

        try
        {
            return Directory.EnumerateDirectories(procDir)
                .Where(d => Path.GetFileName(d) is { Length: > 0 } name && name.All(char.IsAsciiDigit))
                .Select(d => Path.Combine(d, "ns", "net"))
                .ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
