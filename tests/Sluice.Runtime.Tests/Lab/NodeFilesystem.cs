namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// The node's own directories, for a node whose containerd runs in a mount namespace of its own:
/// each node path (the runtime's CNI directories, the chart's hostPaths, /var/lib/cni) is a
/// directory under <see cref="Root"/>, bind-mounted at that path in containerd's namespace. So
/// containerd, the plugins it runs and the containers it starts all see them at their real
/// paths, and the host's are not touched. A mount point the host lacks is created empty and
/// removed again.
/// </summary>
internal sealed class NodeFilesystem
{
    /// <summary>
    /// Paths below these are the kernel's (the node's own namespace views), never replaced. The
    /// named network namespace directories are among them: the test's node namespace is a mount
    /// there, and the pods' namespaces containerd makes must be the ones the agent enters.
    /// </summary>
    private static readonly string[] KernelPaths = ["/proc", "/sys", "/dev", "/run/netns", "/var/run/netns"];

    private readonly List<string> _createdOnHost = [];

    public NodeFilesystem(string root, IEnumerable<string> paths)
    {
        Root = root;
        Paths = paths
            .Select(path => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path)))
            .Where(path => !IsKernelPath(path))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Where the node's directories live on the host.</summary>
    public string Root { get; }

    /// <summary>The node paths that are the node's own, parents before children.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>The bind mounts for containerd's namespace: (directory under <see cref="Root"/>, node path).</summary>
    public IEnumerable<(string Source, string Target)> Binds => Paths.Select(path => (Source(path), path));

    public static bool IsKernelPath(string path) =>
        KernelPaths.Any(kernel => path == kernel || path.StartsWith(kernel + "/", StringComparison.Ordinal));

    /// <summary>Where the test reads or writes <paramref name="nodePath"/>: under <see cref="Root"/> when it is in a node directory.</summary>
    public string HostPath(string nodePath)
    {
        var full = Path.GetFullPath(nodePath);
        var owner = Paths.LastOrDefault(path => full == path || full.StartsWith(path + "/", StringComparison.Ordinal));
        return owner is null ? full : Source(owner) + full[owner.Length..];
    }

    /// <summary>Creates the node's directories, and the mount points the host lacks (remembered for <see cref="RemoveCreatedMountPoints"/>).</summary>
    public void Create()
    {
        foreach (var path in Paths)
        {
            Directory.CreateDirectory(Source(path));
            var missing = new List<string>();
            for (var dir = path; !Directory.Exists(dir); dir = Path.GetDirectoryName(dir)!)
            {
                missing.Add(dir);
            }

            Directory.CreateDirectory(path);
            _createdOnHost.AddRange(missing);
        }
    }

    /// <summary>Removes the mount points <see cref="Create"/> made on the host, deepest first, when they are still empty.</summary>
    public void RemoveCreatedMountPoints()
    {
        foreach (var dir in _createdOnHost.Distinct(StringComparer.Ordinal).OrderByDescending(d => d.Length))
        {
            if (Directory.Exists(dir) && !Directory.EnumerateFileSystemEntries(dir).Any())
            {
                Directory.Delete(dir);
            }
        }
    }

    private string Source(string nodePath) => Path.Combine(Root, nodePath.TrimStart('/'));
}
