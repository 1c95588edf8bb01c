using System.Net;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// An address on an interface (<c>ip addr show</c>). <paramref name="CreatedStamp"/> is when the
/// kernel created it (IFA_CACHEINFO's <c>cstamp</c>: hundredths of a second of the kernel's tick
/// clock since boot; <see cref="AddressStamp"/> turns it into an age), null when not reported.
/// </summary>
public sealed record AddressInfo(int Index, IPAddress Address, int PrefixLength, Scope Scope, AddressFlags Flags, string? Label, uint? CreatedStamp = null)
{
    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => Address + "/" + PrefixLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

[Flags]
public enum AddressFlags : uint
{
    None = 0,
    Secondary = 0x01,
    NoDad = 0x02,
    Optimistic = 0x04,
    DadFailed = 0x08,
    HomeAddress = 0x10,
    Deprecated = 0x20,
    Tentative = 0x40,
    Permanent = 0x80,
    ManageTempAddr = 0x100,
    NoPrefixRoute = 0x200,
}

/// <summary>RT_SCOPE_* for addresses and routes.</summary>
public enum Scope : byte
{
    Universe = 0,
    Site = 200,
    Link = 253,
    Host = 254,
    Nowhere = 255,
}
