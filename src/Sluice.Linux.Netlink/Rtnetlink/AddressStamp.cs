using Sluice.Linux.Interop;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// How long ago the kernel created an address, from its creation stamp (<see cref="AddressInfo.CreatedStamp"/>).
/// The stamp counts hundredths of a second of the kernel's tick clock (jiffies) since boot, in 32
/// bits. times(2) reads the same clock now, in the same unit, converted the kernel's way
/// (jiffies_64_to_clock_t, through TICK_NSEC, which is not exact at 300 Hz) and counted from
/// jiffies' start value, 300 s of ticks below 2^32 (INITIAL_JIFFIES, so that a 32-bit counter
/// wraps five minutes after boot). Both conversions depend on the kernel's tick rate
/// (CONFIG_HZ), which user space cannot ask for. Each rate Kconfig offers on x86_64 and arm64 is
/// tried: a wrong one puts "now" hundreds of millions of hundredths away from any recent stamp, so
/// the rate that leaves the smallest age is the kernel's.
/// </summary>
public static class AddressStamp
{
    private const long TwoTo32 = 1L << 32;
    private const long NanosecondsPerHundredth = 10_000_000;

    /// <summary>Kconfig's choices of CONFIG_HZ on x86_64 and arm64.</summary>
    private static readonly long[] KernelHz = [100, 250, 300, 1000];

    /// <summary>
    /// The least time that has certainly passed since the kernel stamped <paramref name="createdStamp"/>,
    /// or null when times(2) fails or no tick rate fits (a stamp ahead of the clock).
    /// </summary>
    public static TimeSpan? MinimumAge(uint createdStamp)
    {
        var now = Libc.times(out _);
        return now == -1 ? null : MinimumAge(now, createdStamp);
    }

    /// <summary>
    /// <see cref="MinimumAge(uint)"/> with times(2)'s reading given. The stamp and "now" are both
    /// rounded down, and jiffies move in whole ticks: the age read can exceed the time that has
    /// certainly passed by a hundredth (modelled for every rate in AddressStampTests), and two are
    /// taken off.
    /// </summary>
    public static TimeSpan? MinimumAge(long ticksNow, uint createdStamp)
    {
        long? best = null;
        foreach (var hz in KernelHz)
        {
            // times(2) is jiffies_64 * TICK_NSEC / 10^7 (TICK_NSEC: 10^9 / HZ rounded): inverted, it
            // gives jiffies to within 10^7 / TICK_NSEC ticks, counted here from boot as the stamp is.
            var tickNanoseconds = (1_000_000_000 + (hz / 2)) / hz;
            var sinceBoot = (ticksNow * NanosecondsPerHundredth / tickNanoseconds) - (TwoTo32 - (300 * hz));
            if (sinceBoot < -((hz / 100) + 1))
            {
                continue;
            }

            // In 32 bits, as the stamp is (it wraps 497 days after boot). A few hundredths below
            // the stamp is rounding: no age at all.
            var age = (long)unchecked((uint)(Math.Max(0, sinceBoot) * 100 / hz) - createdStamp);
            if (age > TwoTo32 - 8)
            {
                age = 0;
            }

            if (best is null || age < best)
            {
                best = age;
            }
        }

        return best is { } hundredths ? TimeSpan.FromMilliseconds(Math.Max(0, hundredths - 2) * 10) : null;
    }
}
