using System.Text;
using System.Text.Json.Nodes;
using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// Chained mode: keeps our sluice-redirect entry last in the configuration the runtime uses.
/// Writes are atomic and keep the file's mode; a single <c>.conf</c> becomes a
/// <c>.conflist</c> of the same name; a file that is not a CNI configuration is never touched.
/// </summary>
public sealed class CniConfInstaller(string directory, string? configuredName, JsonObject entry)
{
    /// <summary>The file our entry was last written into.</summary>
    public string? InstalledIn { get; private set; }

    public ConfOutcome Reconcile()
    {
        var path = CniConfFiles.Primary(directory, configuredName);
        if (path is null)
        {
            return new ConfOutcome(ConfState.Waiting, null, $"waiting for the primary plugin's configuration in {directory}");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
            if (ChainedConfList.HasEntryLast(text, path, entry))
            {
                InstalledIn = path;
                return new ConfOutcome(ConfState.InPlace, path, $"sluice-redirect is in place in {path}");
            }

            var updated = ChainedConfList.Insert(text, path, entry);
            var target = Path.GetExtension(path) == ".conflist" ? path : Path.ChangeExtension(path, ".conflist");
            DurableFile.Write(target, Encoding.UTF8.GetBytes(updated), FileSync.DataAndDirectory, File.GetUnixFileMode(path));
            if (target != path)
            {
                File.Delete(path);
            }

            InstalledIn = target;
            return new ConfOutcome(ConfState.Written, target, target == path ? $"added sluice-redirect to {path}" : $"converted {path} to {target} with sluice-redirect");
        }
        catch (ConfListException error)
        {
            return new ConfOutcome(ConfState.Invalid, path, error.Message);
        }
        catch (FileNotFoundException)
        {
            // Replaced between listing and reading: the next event brings us back.
            return new ConfOutcome(ConfState.Waiting, null, $"{path} went away while being read");
        }
    }

    /// <summary>Removes our entry from the file we installed into (<paramref name="installedIn"/> when known, else the file the runtime uses); returns the file when something was removed.</summary>
    public string? Uninstall(string? installedIn = null)
    {
        var path = installedIn ?? InstalledIn ?? CniConfFiles.Primary(directory, configuredName);
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            var text = File.ReadAllText(path);
            if (ChainedConfList.Remove(text, path) is not { } without)
            {
                return null;
            }

            DurableFile.Write(path, Encoding.UTF8.GetBytes(without), FileSync.DataAndDirectory, File.GetUnixFileMode(path));
            return path;
        }
        catch (ConfListException)
        {
            return null;
        }
    }
}
