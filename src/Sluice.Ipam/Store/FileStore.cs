using System.Net;
using System.Text;
using Sluice.Cni;
using Sluice.Linux.Files;
using Sluice.Net;

namespace Sluice.Ipam.Store;

/// <summary>
/// host-local's on-disk layout, so a node can move between host-local and sluice-ipam:
/// <c>&lt;dir&gt;/&lt;ip&gt;</c> holding <c>&lt;containerID&gt;\r\n&lt;ifname&gt;</c>,
/// <c>last_reserved_ip.N</c> and a <c>lock</c> file locked with flock. Sluice adds hidden files
/// (<c>.sluice-attach.&lt;containerID&gt;:&lt;ifname&gt;</c> listing an attachment's addresses, and
/// <c>.sluice-indexed</c>) that host-local never matches. Records appear atomically (written to
/// a temporary file, then linked or renamed into place), so a killed writer leaves either the old
/// state or the new one, never a torn record. They are not fsynced: a power loss takes every pod
/// of the node with it, the runtime recreates them after the reboot, and GC reclaims any record
/// the crash left stale. That keeps ADD and DEL free of disk waits.
/// </summary>
public sealed class FileStore(string directory) : IAllocationStore
{
    public const string LockFileName = "lock";
    public const string LastReservedPrefix = "last_reserved_ip.";
    private const string IndexPrefix = ".sluice-attach.";
    private const string IndexedMarker = ".sluice-indexed";
    private const string LineBreak = "\r\n";

    private readonly string _resolved = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));

    public string Directory => directory;

    /// <summary>
    /// Something was stored: the directory holds an entry. An empty directory (made by an operator,
    /// or left by a failed ADD) counts as nothing stored, so a DEL, CHECK or GC leaves it untouched.
    /// </summary>
    public bool Exists => System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any();

    public IDisposable Lock()
    {
        System.IO.Directory.CreateDirectory(directory);
        return FileLock.Acquire(Path.Combine(directory, LockFileName));
    }

    public bool IsReserved(IPAddress address) => File.Exists(AddressPath(address));

    public bool TryReserve(IPAddress address, AttachmentKey owner) =>
        DurableFile.TryCreate(AddressPath(address), Encoding.UTF8.GetBytes(owner.ContainerId + LineBreak + owner.IfName), FileSync.None);

    public StoredOwner? OwnerOf(IPAddress address) => ReadIfExists(AddressPath(address)) is { } text ? ParseOwner(text) : null;

    public void Release(IPAddress address)
    {
        File.Delete(AddressPath(address));
    }

    public IPAddress? LastReserved(int rangeSet) =>
        ReadIfExists(LastReservedPath(rangeSet)) is { } text && IpText.TryParse(text.Trim(), out var address) ? address : null;

    /// <summary>
    /// Only a hint for where to start looking, so it is rewritten in place (under the store lock)
    /// rather than replaced: replacing frees a disk block on every ADD, and on file systems
    /// mounted with <c>discard</c> that waits for the device. A torn hint reads as no hint.
    /// </summary>
    public void SetLastReserved(int rangeSet, IPAddress address) =>
        DurableFile.Overwrite(LastReservedPath(rangeSet), Encoding.ASCII.GetBytes(address.ToString()));

    public bool IsIndexed => File.Exists(Path.Combine(directory, IndexedMarker));

    public void MarkIndexed()
    {
        DurableFile.Write(Path.Combine(directory, IndexedMarker), "1\n"u8, FileSync.None);
    }

    public IReadOnlyList<IPAddress>? ReadIndex(AttachmentKey key) =>
        ReadIfExists(IndexPath(key))?
            .Split('\n')
            .Select(line => IpText.TryParse(line.Trim(), out var address) ? address : null)
            .OfType<IPAddress>()
            .ToList();

    public void WriteIndex(AttachmentKey key, IReadOnlyList<IPAddress> addresses)
    {
        DurableFile.Write(IndexPath(key), Encoding.ASCII.GetBytes(string.Concat(addresses.Select(a => a + "\n"))), FileSync.None);
    }

    public void DeleteIndex(AttachmentKey key)
    {
        File.Delete(IndexPath(key));
    }

    public IReadOnlyList<AttachmentKey> IndexedAttachments() =>
        System.IO.Directory.EnumerateFiles(directory, IndexPrefix + "*")
            .Select(path => Path.GetFileName(path)[IndexPrefix.Length..])
            .Select(name => name.Split(':', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => new AttachmentKey(parts[0], parts[1]))
            .ToList();

    public IReadOnlyList<(IPAddress Address, StoredOwner? Owner)> Allocations()
    {
        var result = new List<(IPAddress, StoredOwner?)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            if (IpText.TryParse(Path.GetFileName(path), out var address))
            {
                result.Add((address, OwnerOf(address)));
            }
        }

        return result;
    }

    public int RemoveDebris()
    {
        var removed = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(directory, ".*.tmp-*"))
        {
            File.Delete(path);
            removed++;
        }
        return removed;
    }

    public void ProbeWritable()
    {
        var probe = Path.Combine(directory, ".sluice-probe");
        DurableFile.Write(probe, "probe\n"u8, FileSync.None);
        File.Delete(probe);
    }

    /// <summary>
    /// The file's text, or null when it does not exist. Checked first rather than caught: under the
    /// store lock nothing removes it in between, and a thrown exception costs every ADD milliseconds.
    /// </summary>
    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static StoredOwner? ParseOwner(string content)
    {
        var text = content.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var lines = text.Split('\n', 2);
        var containerId = lines[0].TrimEnd('\r');
        return lines.Length == 2 ? new StoredOwner(containerId, lines[1].Trim()) : new StoredOwner(containerId, null);
    }

    private string AddressPath(IPAddress address) => InStore(address.ToString());

    private string LastReservedPath(int rangeSet) => InStore(LastReservedPrefix + rangeSet.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string IndexPath(AttachmentKey key) => InStore($"{IndexPrefix}{key.ContainerId}:{key.IfName}");

    /// <summary>
    /// The path of the record <paramref name="name"/>, which must be one file name directly in the
    /// store's directory. Attachment text is checked where it enters (the environment, GC input);
    /// this is the second line: whatever reaches here, no record is ever read or written elsewhere.
    /// </summary>
    private string InStore(string name)
    {
        var path = Path.Combine(directory, name);
        if (name.Length == 0 || name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) ||
            Path.GetDirectoryName(Path.GetFullPath(path)) != _resolved)
        {
            throw new StorePathException(directory, name);
        }

        return path;
    }
}
