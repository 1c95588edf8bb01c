using Sluice.Redirect;

namespace Sluice.Agent.Capture.Netns;

/// <summary>
/// sluice-redirect's sandbox records, read again only when the directory changed, by pod. Records
/// whose namespace is gone (a DEL that never came) and temporary files a killed plugin left are
/// removed, so the directory stays as large as the node's sandboxes.
/// </summary>
internal sealed class SandboxIndex(string? directory, AgentLog log)
{
    private static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan CoarseStamp = TimeSpan.FromMilliseconds(50);

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private DateTime _readAt = DateTime.MinValue;
    private DateTime _readStartedAt = DateTime.MinValue;
    private ILookup<string, SandboxRecord> _byPod = Array.Empty<SandboxRecord>().ToLookup(Key);

    public string? Directory => directory;

    /// <summary>The records of a pod (namespace and name, and the UID when the record has one), newest first.</summary>
    public IEnumerable<SandboxRecord> For(string ns, string name, string uid)
    {
        Refresh();
        return _byPod[$"{ns}/{name}"].Where(r => r.Uid is null || r.Uid == uid).OrderByDescending(r => r.Written);
    }

    /// <summary>Reads the records again if the directory changed since the last read.</summary>
    public void Refresh()
    {
        if (directory is null)
        {
            return;
        }

        // The kernel stamps a directory change with a coarse clock (a few milliseconds): a change
        // made soon after a read may carry the same stamp, so the stamp vouches for the records only
        // once the read began a while after it.
        var changed = System.IO.Directory.Exists(directory) ? System.IO.Directory.GetLastWriteTimeUtc(directory) : DateTime.MinValue;
        if (changed == _readAt && changed != DateTime.MinValue && _readStartedAt - changed > CoarseStamp)
        {
            return;
        }

        _readStartedAt = DateTime.UtcNow;
        _readAt = changed;
        _byPod = SandboxRecords.ReadAll(directory, Skipped).ToLookup(Key);
    }

    /// <summary>Removes records whose namespace no longer exists, and temporary files older than a minute.</summary>
    public void Prune()
    {
        if (directory is null || !System.IO.Directory.Exists(directory))
        {
            return;
        }

        Refresh();
        foreach (var record in _byPod.SelectMany(g => g).Where(r => !File.Exists(r.NetNs)))
        {
            SandboxRecords.Remove(directory, record.ContainerId);
            log.Debug($"removed the sandbox record of {record.ContainerId} ({record.Namespace}/{record.Name}): its netns {record.NetNs} is gone");
        }

        foreach (var temporary in System.IO.Directory.EnumerateFiles(directory, ".*.tmp-*"))
        {
            if (DateTime.UtcNow - File.GetLastWriteTimeUtc(temporary) > StaleTemporary)
            {
                File.Delete(temporary);
            }
        }
    }

    private static string Key(SandboxRecord record) => $"{record.Namespace}/{record.Name}";

    private void Skipped(string file, string why)
    {
        if (_reported.Add(file))
        {
            log.Warn($"ignoring {file}: not a sandbox record ({why})");
        }
    }
}
