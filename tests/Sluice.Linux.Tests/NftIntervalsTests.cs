using System.Net;
using Sluice.Linux.Nftables;

namespace Sluice.Linux.Tests;

public sealed class NftIntervalsTests
{
    [Theory]
    [InlineData("10.22.0.0/16", "0a160000", "0a170000")]
    [InlineData("224.0.0.0/4", "e0000000", "f0000000")]
    [InlineData("255.255.255.0/24", "ffffff00", null)]
    [InlineData("0.0.0.0/0", "00000000", null)]
    [InlineData("fd00::/64", "fd000000000000000000000000000000", "fd000000000000010000000000000000")]
    [InlineData("ff00::/8", "ff000000000000000000000000000000", null)]
    public void Bounds_AreStartAndFirstAddressAfter(string cidr, string first, string? after)
    {
        var (start, end) = NftIntervals.Bounds(IPNetwork.Parse(cidr));
        Assert.Equal(first, Convert.ToHexStringLower(start));
        Assert.Equal(after, end is null ? null : Convert.ToHexStringLower(end));
    }

    [Fact]
    public void Networks_PairsElementsBackIntoCidrs()
    {
        string[] cidrs = ["10.22.0.0/16", "192.168.4.0/22", "255.255.255.0/24"];
        var elements = cidrs.SelectMany(c =>
        {
            var (start, end) = NftIntervals.Bounds(IPNetwork.Parse(c));
            return end is null ? new[] { new NftElementInfo(start, null) } : [new NftElementInfo(start, null), new NftElementInfo(end, null, IntervalEnd: true)];
        }).Reverse();
        Assert.Equal(cidrs, NftIntervals.Networks(elements).Select(n => n.ToString()));
    }
}
