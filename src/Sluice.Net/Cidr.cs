using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Net;

/// <summary>
/// A network in CIDR notation, strictly: an address as <see cref="IpText"/> reads it, a <c>/</c>,
/// a decimal prefix length no longer than the family's, and no bits set after the prefix
/// (<c>10.244.1.7/24</c> is a typo for a network or a host, not <c>10.244.1.0/24</c>, which
/// <see cref="IPNetwork.TryParse(string, out IPNetwork)"/> would quietly make of it). The one CIDR
/// reader of the project: configurations, the agent's settings, node objects and capture policies
/// all read networks with it.
/// </summary>
public static class Cidr
{
    public static bool TryParse(string? text, out IPNetwork network) => Problem(text, out network) is null;

    /// <summary>The network <paramref name="text"/> names; <paramref name="field"/> names it in the error.</summary>
    /// <exception cref="FormatException">Not a network in CIDR notation (the message says why).</exception>
    public static IPNetwork Parse(string text, string field) =>
        Problem(text, out var network) is { } problem ? throw new FormatException($"{field} '{text}' {problem}") : network;

    /// <summary>
    /// Why <paramref name="text"/> is not a network (a phrase after the value, as in
    /// <c>'10.0.0.1/8' has host bits set …</c>), or null when it is one. A bare address is a host
    /// network (<c>/32</c>, <c>/128</c>) only when <paramref name="bareAddressIsHost"/> says so.
    /// </summary>
    public static string? Problem(string? text, out IPNetwork network, bool bareAddressIsHost = false)
    {
        network = default;
        if (string.IsNullOrEmpty(text))
        {
            return "is not a network in CIDR notation (it is empty)";
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if ((slash < 0 && !bareAddressIsHost) || !IpText.TryParse(addressText, out var address))
        {
            return "is not a network in CIDR notation (an IPv4 or IPv6 address, a '/' and a prefix length)";
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = text.AsSpan(slash + 1);
            if (prefixText.Length is 0 or > 3 ||
                !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bits)
            {
                return $"is not a network in CIDR notation (the prefix length is 0-{bits})";
            }
        }

        var masked = new IPNetwork(Masked(address, prefix), prefix);
        if (!masked.BaseAddress.Equals(address))
        {
            return $"has host bits set (the network is {masked})";
        }

        network = masked;
        return null;
    }

    /// <summary><paramref name="address"/> with every bit after <paramref name="prefix"/> cleared.</summary>
    public static IPAddress Masked(IPAddress address, int prefix)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
