namespace Sluice.IpamPlugin.Tests;

/// <summary>sluice-ipam and Debian's host-local read and write the same store.</summary>
public sealed class HostLocalInteropTests : IDisposable
{
    private readonly IpamNetwork _net = new();

    public void Dispose() => _net.Dispose();

    [Fact]
    public void StoreWrittenByHostLocal_IsReadBySluice()
    {
        var hostLocal = _net.Add("old-1", binary: IpamNetwork.HostLocal);
        Assert.Equal("10.77.0.2/24", (string)hostLocal["ips"]![0]!["address"]!);

        // A duplicate ADD is recognised, a new pod gets the next address, DEL releases the old pod.
        Assert.Equal(112, (int)System.Text.Json.Nodes.JsonNode.Parse(_net.Run("ADD", "old-1").Stdout)!["code"]!);
        Assert.Equal("10.77.0.3/24", (string)_net.Add("new-1")["ips"]![0]!["address"]!);
        Assert.Equal(0, _net.Run("DEL", "old-1").ExitCode);
        Assert.DoesNotContain(_net.Records().Values, owner => owner.StartsWith("old-1", StringComparison.Ordinal));
    }

    [Fact]
    public void AllocationsLeftByHostLocal_AreCollectedByGc()
    {
        _net.Add("dead-1", binary: IpamNetwork.HostLocal);
        _net.Add("live-1", binary: IpamNetwork.HostLocal);
        var gc = _net.Run("GC", "", extra: ""","cni.dev/valid-attachments":[{"containerID":"live-1","ifname":"eth0"}]""");
        Assert.Equal(0, gc.ExitCode);
        Assert.All(_net.Records().Values, owner => Assert.Equal("live-1\r\neth0", owner));
    }

    [Fact]
    public void StoreWrittenBySluice_IsReadByHostLocal()
    {
        _net.Add("new-1");
        var fromHostLocal = _net.Add("hl-1", binary: IpamNetwork.HostLocal);
        Assert.Equal("10.77.0.3/24", (string)fromHostLocal["ips"]![0]!["address"]!);

        Assert.Equal(0, _net.Run("DEL", "new-1", binary: IpamNetwork.HostLocal).ExitCode);
        Assert.DoesNotContain(_net.Records().Values, owner => owner.StartsWith("new-1", StringComparison.Ordinal));
        var check = _net.Run("CHECK", "hl-1", binary: IpamNetwork.HostLocal);
        Assert.True(check.ExitCode == 0, check.ToString());
    }
}
