using System.Net;
using System.Text;
using Sluice.Cni;
using Sluice.Linux.Files;

namespace Sluice.Ipam.Store;

/// <summary>
/// host-local's on-disk layout, so a node can move between host-local and sluice-ipam:
/// <c>&lt;dir&gt;/&lt;ip&gt;</c> holding <c>&lt;containerID&gt;\r\n&lt;ifname&gt;</c>,
/// <c>last_reserved_ip.N</c> and a <c>lock</c> file locked with flock. Sluice adds hidden files
/// (<c>.sluice-attach.&lt;containerID&gt;:&lt;ifname&gt;</c> listing an attachment's addresses, and
/// <c>.sluice-indexed</c>) that host-local never matches. Records appear atomically (written to
/// a temporary file, fsynced, then linked or renamed into place).
/// </summary>
public sealed class FileStore(string directory) : IAllocationStore
{
    public const string LockFileName = "lock";
    public const string LastReservedPrefix = "last_reserved_ip.";
    private const string IndexPrefix = ".sluice-attach.";
    private const string IndexedMarker = ".sluice-indexed";
    private const string LineBreak = "\r\n";

    private bool _dirty;

    public string Directory => directory;

    public bool Exists => System.IO.Directory.Exists(directory);

    public IDisposable Lock()
    {
        System.IO.Directory.CreateDirectory(directory);
        return FileLock.Acquire(Path.Combine(directory, LockFileName));
    }

    public bool IsReserved(IPAddress address) => File.Exists(AddressPath(address));

    public bool TryReserve(IPAddress address, AttachmentKey owner)
    {
        var created = DurableFile.TryCreate(AddressPath(address), Encoding.UTF8.GetBytes(owner.ContainerId + LineBreak + owner.IfName), FileSync.Data);
        _dirty |= created;
        return created;
    }

    public StoredOwner? OwnerOf(IPAddress address)
    {
        try
        {
            return ParseOwner(File.ReadAllText(AddressPath(address)));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void Release(IPAddress address)
    {
        File.Delete(AddressPath(address));
        _dirty = true;
    }

    public IPAddress? LastReserved(int rangeSet)
    {
        try
        {
            return IpText.TryParse(File.ReadAllText(LastReservedPath(rangeSet)).Trim(), out var address) ? address : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Only a hint for where to start looking: written atomically but not fsynced.</summary>
    public void SetLastReserved(int rangeSet, IPAddress address) =>
        DurableFile.Write(LastReservedPath(rangeSet), Encoding.ASCII.GetBytes(address.ToString()), FileSync.None);

    public bool IsIndexed => File.Exists(Path.Combine(directory, IndexedMarker));

    public void MarkIndexed()
    {
        DurableFile.Write(Path.Combine(directory, IndexedMarker), "1\n"u8, FileSync.Data);
        _dirty = true;
    }

    public IReadOnlyList<IPAddress>? ReadIndex(AttachmentKey key)
    {
        try
        {
            return File.ReadAllLines(IndexPath(key))
                .Select(line => IpText.TryParse(line.Trim(), out var address) ? address : null)
                .OfType<IPAddress>()
                .ToList();
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public void WriteIndex(AttachmentKey key, IReadOnlyList<IPAddress> addresses)
    {
        DurableFile.Write(IndexPath(key), Encoding.ASCII.GetBytes(string.Concat(addresses.Select(a => a + "\n"))), FileSync.Data);
        _dirty = true;
    }

    public void DeleteIndex(AttachmentKey key)
    {
        File.Delete(IndexPath(key));
        _dirty = true;
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

        _dirty |= removed > 0;
        return removed;
    }

    public void ProbeWritable()
    {
        var probe = Path.Combine(directory, ".sluice-probe");
        DurableFile.Write(probe, "probe\n"u8, FileSync.None);
        File.Delete(probe);
    }

    public void Flush()
    {
        if (_dirty)
        {
            DurableFile.SyncDirectory(directory);
            _dirty = false;
        }
    }

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

    private string AddressPath(IPAddress address) => Path.Combine(directory, address.ToString());

    private string LastReservedPath(int rangeSet) => Path.Combine(directory, LastReservedPrefix + rangeSet.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private string IndexPath(AttachmentKey key) => Path.Combine(directory, $"{IndexPrefix}{key.ContainerId}:{key.IfName}");
}
