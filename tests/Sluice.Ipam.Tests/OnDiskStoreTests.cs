using Sluice.Ipam.Config;
using Sluice.Ipam.Store;

namespace Sluice.Ipam.Tests;

/// <summary>
/// Operations with nothing to do on the on-disk store leave the node's files as they found them:
/// DEL, CHECK and GC never create a lock file or an index where nothing was ever stored.
/// </summary>
public sealed class OnDiskStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-store");

    public void Dispose() => _dir.Dispose();

    private IpamSettings Settings() =>
        Sluice.Ipam.Tests.Settings.Load($$"""{"ranges":[[{"subnet":"10.0.0.0/24"}]],"dataDir":"{{_dir.Combine("data")}}"}""");

    [Fact]
    public void Del_CheckAndGc_OnAnEmptyNetworkDirectory_LeaveItEmpty()
    {
        var settings = Settings();
        Directory.CreateDirectory(settings.NetworkDirectory);
        var key = new AttachmentKey("c1", "eth0");

        Assert.Empty(AddressManager.OnDisk.Del(settings, key));
        Assert.Empty(AddressManager.OnDisk.AddressesOf(settings, key));
        Assert.Empty(AddressManager.OnDisk.Gc(settings, []).Released);

        Assert.Empty(Directory.EnumerateFileSystemEntries(settings.NetworkDirectory));
    }

    [Fact]
    public void Del_OnAMissingNetworkDirectory_CreatesNothing()
    {
        var settings = Settings();

        Assert.Empty(AddressManager.OnDisk.Del(settings, new AttachmentKey("c1", "eth0")));

        Assert.False(Directory.Exists(_dir.Combine("data")));
    }

    [Fact]
    public void Del_AfterAdd_ReleasesTheAddressFromTheStoreItMade()
    {
        var settings = Settings();
        var key = new AttachmentKey("c1", "eth0");
        var added = AddressManager.OnDisk.Add(settings, key, []);

        var released = AddressManager.OnDisk.Del(settings, key);

        Assert.Equal(["10.0.0.2/24"], added.Ips!.Select(ip => ip.Address));
        Assert.Equal(["10.0.0.2"], released.Select(a => a.ToString()));
        Assert.Empty(AddressManager.OnDisk.AddressesOf(settings, key));
    }
}
