using static Sluice.Ipam.Tests.Settings;

namespace Sluice.Ipam.Tests;

public sealed class RangeSetTests
{
    [Fact]
    public void Candidates_WithoutLastReserved_StartAtRangeStartAndSkipTheGateway()
    {
        var set = Load("""{"ranges":[[{"subnet":"10.0.0.0/29"}]]}""").RangeSets[0];
        Assert.Equal(["10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"], set.Candidates(null).Select(c => c.Address.ToString()));
    }

    [Fact]
    public void Candidates_AfterLastReserved_GoRoundRobinAndEndWithIt()
    {
        var set = Load("""{"ranges":[[{"subnet":"10.0.0.0/29"}]]}""").RangeSets[0];
        var last = System.Net.IPAddress.Parse("10.0.0.4");
        Assert.Equal(["10.0.0.5", "10.0.0.6", "10.0.0.2", "10.0.0.3", "10.0.0.4"], set.Candidates(last).Select(c => c.Address.ToString()));
    }

    [Fact]
    public void Candidates_WalkEveryRangeOfTheSetInOrder()
    {
        var set = Load("""{"ranges":[[{"subnet":"10.0.0.0/24","rangeStart":"10.0.0.10","rangeEnd":"10.0.0.11"},{"subnet":"10.0.1.0/24","rangeStart":"10.0.1.20","rangeEnd":"10.0.1.21"}]]}""").RangeSets[0];
        Assert.Equal(["10.0.0.10", "10.0.0.11", "10.0.1.20", "10.0.1.21"], set.Candidates(null).Select(c => c.Address.ToString()));
        var fromSecond = set.Candidates(System.Net.IPAddress.Parse("10.0.1.20")).Select(c => c.Address.ToString());
        Assert.Equal(["10.0.1.21", "10.0.0.10", "10.0.0.11", "10.0.1.20"], fromSecond);
    }

    [Fact]
    public void Candidates_IgnoreALastReservedOutsideTheSet()
    {
        var set = Load("""{"ranges":[[{"subnet":"10.0.0.0/29"}]]}""").RangeSets[0];
        Assert.Equal("10.0.0.2", set.Candidates(System.Net.IPAddress.Parse("192.168.0.1")).First().Address.ToString());
    }

    [Fact]
    public void Candidates_InAHugeIpv6Range_AreLazy()
    {
        var set = Load("""{"ranges":[[{"subnet":"fd00::/64"}]]}""").RangeSets[0];
        Assert.Equal(["fd00::2", "fd00::3"], set.Candidates(null).Take(2).Select(c => c.Address.ToString()));
        Assert.Equal((UInt128.One << 64) - 2, set.Capacity);
    }
}
