using Sluice.Linux.Interop;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// How long ago the kernel created an address, from its creation stamp (<see cref="AddressInfo.CreatedStamp"/>).
/// The stamp counts hundredths of a second of the kernel's tick clock (jiffies) since boot;
/// times(2) reads the same clock now, in the same unit, but from jiffies' start value, which sits
/// 300 s of ticks below 2^32 (INITIAL_JIFFIES, so that a 32-bit counter wraps five minutes after
/// boot). That offset depends on the kernel's tick rate (CONFIG_HZ), which user space cannot ask
/// for; each rate Kconfig offers on x86_64 and arm64 gives a different offset, about 10^8 apart,
/// so the one that leaves a small non-negative age is the kernel's.
/// </summary>
public static class AddressStamp
{
    private const long TwoTo32 = 1L << 32;

    /// <summary>Kconfig's choices of CONFIG_HZ on x86_64 and arm64.</summary>
    private static readonly long[] KernelHz = [100, 250, 300, 1000];

    /// <summary>
    /// The least time that has certainly passed since the kernel stamped <paramref name="createdStamp"/>,
    /// or null when no tick rate matches (a stamp from another clock, or one that wrapped: 497 days after boot).
    /// </summary>
    public static TimeSpan? MinimumAge(uint createdStamp)
    {
        var now = Libc.times(out _);
        return now == -1 ? null : MinimumAge(now, createdStamp);
    }

    /// <summary>
    /// <see cref="MinimumAge(uint)"/> with times(2)'s reading given. Both readings round down to a
    /// hundredth, and jiffies move in whole ticks (up to 10 ms), so the difference overstates the
    /// age by up to three hundredths: that much is taken off.
    /// </summary>
    public static TimeSpan? MinimumAge(long ticksNow, uint createdStamp)
    {
        var since = ticksNow - createdStamp;
        long? best = null;
        foreach (var hz in KernelHz)
        {
            var age = since - ((TwoTo32 - (300 * hz)) * 100 / hz);
            if (age >= 0 && age < TwoTo32 && (best is null || age < best))
            {
                best = age;
            }
        }

        return best is { } hundredths ? TimeSpan.FromMilliseconds(Math.Max(0, hundredths - 3) * 10) : null;
    }
}
