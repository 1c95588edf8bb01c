using Sluice.TestSupport;

namespace Sluice.Bench;

/// <summary>
/// Sluice's runtime directory on the node, <c>/var/run/sluice</c> (sluice-bridge's firewall stamps;
/// sluice-agent's run directory with sluice-redirect's sandbox records, one per bench node), on
/// tmpfs for a bench run, as on a node: systemd mounts <c>/run</c> as tmpfs. This development VM's
/// <c>/var/run</c> is a directory of its root ext4, where each create and rename is a journalled
/// change; ten sandboxes at once then queue in the filesystem for what costs a node microseconds
/// (docs/benchmarks.md). The harness mounts a tmpfs there for the run and unmounts it afterwards
/// (what was in the directory is hidden meanwhile, not changed); <c>BENCH_RUN_TMPFS=0</c> keeps
/// the machine's filesystem.
/// </summary>
internal sealed class NodeRunDirectory : IDisposable
{
    public const string Path = "/var/run/sluice";

    private readonly bool _mounted;

    private NodeRunDirectory(bool mounted, string condition)
    {
        _mounted = mounted;
        Condition = condition;
    }

    /// <summary>Where Sluice's runtime state lived during the run, for the report.</summary>
    public string Condition { get; }

    public static NodeRunDirectory ForRun()
    {
        var fileSystem = FileSystemOf(Path);
        if (fileSystem == "tmpfs")
        {
            return new NodeRunDirectory(false, $"{Path} on tmpfs, as on a node");
        }

        if (Environment.GetEnvironmentVariable("BENCH_RUN_TMPFS") == "0")
        {
            return new NodeRunDirectory(false, $"{Path} on this machine's {fileSystem} (BENCH_RUN_TMPFS=0; on a node it is tmpfs)");
        }

        Directory.CreateDirectory(Path);
        ProcessRunner.Check("/usr/bin/mount", "-t", "tmpfs", "-o", "mode=0755,size=64m", "sluice-bench-run", Path);
        return new NodeRunDirectory(true, $"{Path} on a tmpfs the harness mounted for the run, as on a node (this machine's is on its {fileSystem}; BENCH_RUN_TMPFS=0 keeps that)");
    }

    public void Dispose()
    {
        if (_mounted)
        {
            ProcessRunner.Check("/usr/bin/umount", Path);
        }
    }

    private static string FileSystemOf(string path)
    {
        var existing = path;
        while (!Directory.Exists(existing))
        {
            existing = System.IO.Path.GetDirectoryName(existing) ?? "/";
        }

        return ProcessRunner.Check("/usr/bin/findmnt", "-n", "-o", "FSTYPE", "-T", existing).Trim();
    }
}
