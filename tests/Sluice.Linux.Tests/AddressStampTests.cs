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
    /// The kernel's two readings modelled as it computes them: times(2) is jiffies_64_to_clock_t
    /// of jiffies, which start at 2^32 − 300·HZ (exact at 100 Hz, through TICK_NSEC otherwise); an
    /// address's cstamp is (jiffies − that start) · 100 / HZ, kept in 32 bits. Created at tick
    /// <c>c</c> and read at tick <c>c + a</c>, at least a − 1 ticks have passed.
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(250)]
    [InlineData(300)]
    [InlineData(1000)]
    public void MinimumAge_ForEachKernelTickRate_NeverOverstatesTheAgeAndFallsShortByAtMost40Ms(int hz)
    {
        var initial = TwoTo32 - (300L * hz);
        // Just after boot, five minutes, a few hours, 30 days, and 600 days (the stamp has wrapped).
        foreach (var createdTicks in new[] { 1L, 300L * hz, 12_345_679L, 30L * 86_400 * hz, 600L * 86_400 * hz })
        {
            foreach (var ageTicks in Enumerable.Range(0, (3 * hz) + 1))
            {
                var now = KernelTimes(initial + createdTicks + ageTicks, hz);
                var stamp = unchecked((uint)(createdTicks * 100 / hz));

                var age = AddressStamp.MinimumAge(now, stamp);

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

    /// <summary>times(2) as the kernel computes it (jiffies_64_to_clock_t with USER_HZ 100).</summary>
    private static long KernelTimes(long jiffies, long hz)
    {
        var tickNanoseconds = (1_000_000_000 + (hz / 2)) / hz;
        return tickNanoseconds % 10_000_000 == 0 ? jiffies * 100 / hz : jiffies * tickNanoseconds / 10_000_000;
    }
}
