using System.Net;
using Sluice.Ipam.Config;
using Sluice.Ipam.Store;

namespace Sluice.Ipam.Tests;

/// <summary>
/// The on-disk store never reads or writes outside its directory, whatever attachment text
/// reaches it (issue 17: GC with an old-style address file and the ifname <c>x/../../…</c>
/// overwrote a file outside the store).
/// </summary>
public sealed class FileStoreConfinementTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-store");

    public void Dispose() => _dir.Dispose();

    private IpamSettings Settings() =>
        Sluice.Ipam.Tests.Settings.Load($$"""{"ranges":[[{"subnet":"10.0.0.0/24"}]],"dataDir":"{{_dir.Combine("data")}}"}""");

    [Fact]
    public void Gc_ValidAttachmentClimbingOutOfTheStore_LeavesTheFileOutsideAlone()
    {
        var settings = Settings();
        Directory.CreateDirectory(settings.NetworkDirectory);
        File.WriteAllText(Path.Combine(settings.NetworkDirectory, "10.0.0.5"), "victim");
        var outside = _dir.Combine("data", "precious");
        File.WriteAllText(outside, "precious\n");

        var report = AddressManager.OnDisk.Gc(settings, [new AttachmentKey("victim", "x/../../precious")]);

        Assert.Equal("precious\n", File.ReadAllText(outside));
        Assert.Contains(report.Errors, e => e.Contains("outside the store", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(settings.NetworkDirectory, "10.0.0.5")), "the valid owner's address stays");
    }

    [Theory]
    [InlineData("x/../../escaped")]
    [InlineData("../escaped")]
    [InlineData("a/b")]
    public void WriteIndex_NameWithASlash_IsRefusedAndWritesNothing(string ifName)
    {
        var store = new FileStore(_dir.Combine("data", "net1"));
        Directory.CreateDirectory(store.Directory);

        Assert.Throws<StorePathException>(() => store.WriteIndex(new AttachmentKey("c1", ifName), [IPAddress.Parse("10.0.0.2")]));
        Assert.Throws<StorePathException>(() => store.ReadIndex(new AttachmentKey("c1", ifName)));
        Assert.Throws<StorePathException>(() => store.DeleteIndex(new AttachmentKey("c1", ifName)));
        Assert.Equal([store.Directory], Directory.EnumerateFileSystemEntries(_dir.Path, "*", SearchOption.AllDirectories).Where(p => p != _dir.Combine("data")));
    }

    [Fact]
    public void WriteIndex_OrdinaryAttachment_StaysInTheStore()
    {
        var store = new FileStore(_dir.Combine("data", "net1"));
        Directory.CreateDirectory(store.Directory);
        store.WriteIndex(new AttachmentKey("c1", "eth0"), [IPAddress.Parse("10.0.0.2")]);
        Assert.Equal([IPAddress.Parse("10.0.0.2")], store.ReadIndex(new AttachmentKey("c1", "eth0")));
    }
}
