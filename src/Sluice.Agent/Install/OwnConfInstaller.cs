using System.Text;
using Sluice.Linux.Files;

namespace Sluice.Agent.Install;

/// <summary>
/// A configuration file the agent owns outright (the pod network's, or sluice-redirect's alone):
/// written atomically when missing or different from what it should be, removed on uninstall.
/// A file that still holds what this installer last wrote or found in place, while the content
/// it should hold changed, is <see cref="ConfState.Updated"/>; any other difference was made by
/// someone else.
/// </summary>
public sealed class OwnConfInstaller(string directory, string fileName)
{
    private bool _writtenOnce;
    private byte[]? _last;

    public string Path { get; } = System.IO.Path.Combine(directory, fileName);

    /// <summary>Writes <paramref name="content"/> unless the file already holds exactly it.</summary>
    public ConfOutcome Reconcile(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var bytes = Encoding.UTF8.GetBytes(content);
        var existing = TryRead();
        if (existing is not null && existing.AsSpan().SequenceEqual(bytes))
        {
            _writtenOnce = true;
            _last = bytes;
            return new ConfOutcome(ConfState.InPlace, Path, $"{Path} is in place");
        }

        Directory.CreateDirectory(directory);
        DurableFile.Write(Path, bytes, FileSync.DataAndDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var ours = existing is not null && _last is not null && existing.AsSpan().SequenceEqual(_last);
        var what = existing is null ? (_writtenOnce ? "was removed; wrote it again" : "written") : ours ? "updated" : "had been changed; wrote it again";
        _writtenOnce = true;
        _last = bytes;
        return new ConfOutcome(ours ? ConfState.Updated : ConfState.Written, Path, $"{Path} {what}");
    }

    /// <summary>Removes the file; true when it was there.</summary>
    public bool Uninstall()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        File.Delete(Path);
        return true;
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
