using System.Text;
using System.Text.Json.Nodes;
using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// Chained mode with an owned file (Istio's owned CNI config): instead of editing the primary
/// plugin's file, Sluice writes its own, named to sort before it so the runtime uses it, holding
/// the primary's list with sluice-redirect appended (mode 0600, written atomically), and writes it
/// again whenever the primary's file changes. A primary that rewrites its own file (at node boot,
/// on restart) then never changes what the runtime reads. The primary's file is never touched.
/// </summary>
public sealed class OwnedConfInstaller(string directory, string? primaryName, string ownedName, JsonObject entry)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Path { get; } = System.IO.Path.Combine(directory, ownedName);

    /// <summary>The primary's file the copy was last made from.</summary>
    public string? MadeFrom { get; private set; }

    public ConfOutcome Reconcile()
    {
        var primary = CniConfFiles.Primary(directory, primaryName, excluding: ownedName);
        if (primary is null)
        {
            return File.Exists(Path)
                ? new ConfOutcome(ConfState.Kept, Path, $"the primary plugin's configuration is gone from {directory}; {Path} kept (the runtime keeps capturing with it)")
                : new ConfOutcome(ConfState.Waiting, null, $"waiting for the primary plugin's configuration in {directory}");
        }

        if (CniConfFiles.Primary(directory, null, excluding: ownedName) is { } first && string.CompareOrdinal(System.IO.Path.GetFileName(first), ownedName) < 0)
        {
            return new ConfOutcome(ConfState.Invalid, first, $"{System.IO.Path.GetFileName(first)} sorts before {ownedName}, so the runtime would use it instead of Sluice's copy: set OWNED_CONFLIST_NAME to a name that sorts first");
        }

        try
        {
            var copy = Encoding.UTF8.GetBytes(ChainedConfList.Insert(File.ReadAllText(primary), primary, entry));
            MadeFrom = primary;
            if (TryRead() is { } existing && existing.AsSpan().SequenceEqual(copy) && File.GetUnixFileMode(Path) == OwnerOnly)
            {
                return new ConfOutcome(ConfState.InPlace, Path, $"{Path} is in place");
            }

            DurableFile.Write(Path, copy, FileSync.DataAndDirectory, OwnerOnly);
            return new ConfOutcome(ConfState.Written, Path, $"wrote {Path} from {primary} with sluice-redirect");
        }
        catch (ConfListException error)
        {
            return new ConfOutcome(ConfState.Invalid, primary, error.Message);
        }
        catch (FileNotFoundException)
        {
            return new ConfOutcome(ConfState.Waiting, null, $"{primary} went away while being read");
        }
    }

    /// <summary>Removes the copy, and a sluice-redirect entry an earlier chained-mode agent left in the primary's file; returns the files changed.</summary>
    public IReadOnlyList<string> Uninstall()
    {
        var changed = new List<string>();
        if (File.Exists(Path))
        {
            File.Delete(Path);
            changed.Add(Path);
        }

        var primary = CniConfFiles.Primary(directory, primaryName, excluding: ownedName);
        if (new CniConfInstaller(directory, primaryName, entry).Uninstall(primary) is { } cleaned)
        {
            changed.Add(cleaned);
        }

        return changed;
    }

    private byte[]? TryRead()
    {
        try
        {
            return File.ReadAllBytes(Path);
        }
        catch (Exception error) when (error is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }
}
