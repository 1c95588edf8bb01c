using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Linux.Rtnetlink;

/// <summary>
/// A route (<c>ip route</c>). <see cref="Destination"/> null means the default route of
/// <see cref="Family"/>. <see cref="Protocol"/> marks who owns a route, so a program can find and
/// replace its own routes and leave the rest alone.
/// </summary>
public sealed record Route
{
    public AddressFamily Family { get; init; } = AddressFamily.InterNetwork;

    public IPNetwork? Destination { get; init; }

    public IPAddress? Gateway { get; init; }

    public int OutputIndex { get; init; }

    public int Table { get; init; } = Tables.Main;

    public byte Protocol { get; init; } = Protocols.Boot;

    /// <summary>Null: chosen as <c>ip route</c> does (link for a device route without gateway, host for local, universe otherwise).</summary>
    public Scope? Scope { get; init; }

    public RouteType Type { get; init; } = RouteType.Unicast;

    public int? Metric { get; init; }

    public IPAddress? PreferredSource { get; init; }

    public int? Mtu { get; init; }

    public int? AdvMss { get; init; }

    /// <summary><c>onlink</c>: the gateway is on <see cref="OutputIndex"/> even though no prefix of that link holds it (an overlay's next hop).</summary>
    public bool OnLink { get; init; }

    public bool IsDefault => Destination is null || Destination.Value.PrefixLength == 0;

    public static Route To(IPNetwork destination) => new() { Family = destination.BaseAddress.AddressFamily, Destination = destination };

    public static Route Default(AddressFamily family) => new() { Family = family };

    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => string.Concat(
        IsDefault ? "default" : Destination!.Value.ToString(),
        Gateway is null ? "" : " via " + Gateway,
        OutputIndex == 0 ? "" : " dev #" + OutputIndex.ToString(CultureInfo.InvariantCulture),
        OnLink ? " onlink" : "",
        Table == Tables.Main ? "" : " table " + Table.ToString(CultureInfo.InvariantCulture),
        Metric is { } metric ? " metric " + metric.ToString(CultureInfo.InvariantCulture) : "");

    public static class Tables
    {
        public const int Main = 254;
        public const int Local = 255;
    }

    /// <summary>RTPROT_* values; 0–4 are the kernel's own, higher numbers are free for daemons.</summary>
    public static class Protocols
    {
        public const byte Unspec = 0;
        public const byte Kernel = 2;
        public const byte Boot = 3;
        public const byte Static = 4;
    }
}

/// <summary>RTN_* route types.</summary>
public enum RouteType : byte
{
    Unspec = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
}
