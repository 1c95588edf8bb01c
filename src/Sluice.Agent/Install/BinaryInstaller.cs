using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// Copies every executable in the source directory into each CNI bin directory atomically
/// (temporary file, fsync, rename), skipping copies that are already identical (same size and
/// modification time, which the copy carries over), and restoring any that were removed or changed.
/// </summary>
public sealed class BinaryInstaller(string sourceDir, IReadOnlyList<string> binDirs)
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>The file names installed (from the source directory).</summary>
    public IReadOnlyList<string> Names() => Directory.EnumerateFiles(sourceDir)
        .Where(p => !Path.GetFileName(p).StartsWith('.') && (File.GetUnixFileMode(p) & UnixFileMode.UserExecute) != 0)
        .Select(p => Path.GetFileName(p))
        .Order(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// A temporary copy older than this was left by a copy that died (agent killed, node crashed):
    /// a live copy of a 15 MB binary takes well under a second.
    /// </summary>
    public static readonly TimeSpan StaleTempAge = TimeSpan.FromMinutes(1);

    /// <summary>Installs what is missing or different; returns the paths written.</summary>
    /// <exception cref="IOException">A bin directory cannot be written (read-only, full); nothing half-written is left.</exception>
    public IReadOnlyList<string> Reconcile()
    {
        var written = new List<string>();
        foreach (var name in Names())
        {
            var source = new FileInfo(Path.Combine(sourceDir, name));
            foreach (var dir in binDirs)
            {
                var target = new FileInfo(Path.Combine(dir, name));
                RemoveStaleTemps(target.FullName);
                if (target.Exists && target.Length == source.Length && target.LastWriteTimeUtc == source.LastWriteTimeUtc)
                {
                    continue;
                }

                Directory.CreateDirectory(dir);
                DurableFile.Copy(source.FullName, target.FullName, FileSync.DataAndDirectory, Executable);
                File.SetLastWriteTimeUtc(target.FullName, source.LastWriteTimeUtc);
                written.Add(target.FullName);
            }
        }

        return written;
    }

    /// <summary>
    /// Removes temporary copies of <paramref name="target"/> that a killed copy left: never run
    /// by a runtime (dot names), but on a small bin filesystem they hold the space the next copy needs.
    /// </summary>
    private static void RemoveStaleTemps(string target)
    {
        var dir = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(dir))
        {
            return;
        }

        foreach (var temp in Directory.EnumerateFiles(dir, DurableFile.TempPrefix(target) + "*"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temp) > StaleTempAge)
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>Removes the installed copies of the source directory's binaries (uninstall); returns the paths removed.</summary>
    public IReadOnlyList<string> Uninstall()
    {
        var removed = new List<string>();
        foreach (var name in Names())
        {
            foreach (var path in binDirs.Select(dir => Path.Combine(dir, name)).Where(File.Exists))
            {
                File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }
}
