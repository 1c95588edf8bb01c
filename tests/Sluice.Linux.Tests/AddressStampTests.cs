using System.Net;
using System.Net.Sockets;
using Sluice.Linux.Rtnetlink;

namespace Sluice.Linux.Tests;

public sealed class AddressStampTests : IDisposable
{
    private const long TwoTo32 = 1L << 32;

    private readonly TwoNamespaces _ns = new();

    public void Dispose() => _ns.Dispose();

    /// <summary>
    /// The kernel's two readings modelled as it computes them: times(2) = jiffies_64 · 100 / HZ with
    /// jiffies starting at 2^32 − 300·HZ; an address's cstamp = (jiffies − that start) · 100 / HZ.
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(250)]
    [InlineData(300)]
    [InlineData(1000)]
    public void MinimumAge_ForEachKernelTickRate_NeverOverstatesTheAgeAndFallsShortByAtMost40Ms(int hz)
    {
        var initial = TwoTo32 - (300L * hz);
        foreach (var createdTicks in new[] { 1L, 300L * hz, 12_345_679L, 30L * 86_400 * hz })
        {
            foreach (var ageTicks in Enumerable.Range(0, (2 * hz) + 1))
            {
                var now = (initial + createdTicks + ageTicks) * 100 / hz;
                var stamp = (uint)(createdTicks * 100 / hz);

                var age = AddressStamp.MinimumAge(now, stamp);

                // The address was made during tick createdTicks and it is now tick createdTicks + ageTicks.
                var shortest = TimeSpan.FromMilliseconds(Math.Max(0, ageTicks - 1) * 1000.0 / hz);
                Assert.NotNull(age);
                Assert.True(age <= shortest, $"HZ {hz}, created at tick {createdTicks}, {ageTicks} ticks old: {age} > {shortest}");
                Assert.True(age >= shortest - TimeSpan.FromMilliseconds(40), $"HZ {hz}, created at tick {createdTicks}, {ageTicks} ticks old: {age} far below {shortest}");
            }
        }
    }

    [Fact]
    public void MinimumAge_StampAheadOfTheClock_IsUnknown()
    {
        Assert.Null(AddressStamp.MinimumAge(ticksNow: 1_000, createdStamp: 5_000));
    }

    [RootFact]
    public void LoopbackAddress_StampedWhenLoComesUp_AgesWithTheClock()
    {
        var lo = _ns.PodRtnl.GetLink("lo");
        _ns.PodRtnl.SetUp(lo.Index);

        var loopback = Assert.Single(_ns.PodRtnl.ListAddresses(lo.Index, AddressFamily.InterNetworkV6), a => a.Address.Equals(IPAddress.IPv6Loopback));
        Assert.NotNull(loopback.CreatedStamp);
        var fresh = AddressStamp.MinimumAge(loopback.CreatedStamp.Value);
        Thread.Sleep(200);
        var later = AddressStamp.MinimumAge(loopback.CreatedStamp.Value);

        Assert.NotNull(fresh);
        Assert.True(fresh < TimeSpan.FromSeconds(1), $"lo came up just now, yet its ::1 reads {fresh} old");
        Assert.True(later >= fresh + TimeSpan.FromMilliseconds(150), $"200 ms later ::1 reads {later} old (first {fresh})");
    }
}
