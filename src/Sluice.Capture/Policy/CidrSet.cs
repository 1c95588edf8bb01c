using System.Net;
using System.Net.Sockets;

namespace Sluice.Capture.Policy;

/// <summary>A set of networks: every address (<c>*</c>) or a list; empty means none.</summary>
public sealed record CidrSet(bool All, IReadOnlyList<IPNetwork> Networks)
{
    public static CidrSet None { get; } = new(false, []);

    public static CidrSet Every { get; } = new(true, []);

    public bool IsEmpty => !All && Networks.Count == 0;

    public IEnumerable<IPNetwork> Of(AddressFamily family) => Networks.Where(n => n.BaseAddress.AddressFamily == family);

    /// <summary>Parses <c>*</c>, an empty string, or <c>10.0.0.0/8,fd00::/8</c>; a bare address is a /32 or /128.</summary>
    public static CidrSet Parse(string? text, string field)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return None;
        }

        if (trimmed == "*")
        {
            return Every;
        }

        var networks = new List<IPNetwork>();
        foreach (var item in trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item == "*")
            {
                throw new PolicyException(field, trimmed, "mixes '*' with a list of networks");
            }

            networks.Add(ParseNetwork(item, field));
        }

        return new CidrSet(false, networks.Distinct().ToList());
    }

    /// <summary>
    /// Strict CIDR: a dotted quad or an IPv6 address, an optional prefix length (a bare address is
    /// a host), and no bits set after the prefix (10.0.0.1/8 is a typo for 10.0.0.0/8 or a host).
    /// </summary>
    private static IPNetwork ParseNetwork(string text, string field)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || !IsCanonicalSpelling(addressText, address))
        {
            throw new PolicyException(field, text, "is not a network in CIDR notation (an IPv4 or IPv6 address, a '/' and a prefix length)");
        }

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits))
        {
            throw new PolicyException(field, text, $"is not a network in CIDR notation (the prefix length is 0-{bits})");
        }

        var network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            throw new PolicyException(field, text, $"is not a network in CIDR notation (it has host bits set; the network is {network})");
        }

        return network;
    }

    /// <summary>IPv4 as four dotted decimals only (not inet_aton's 10.1 or 0x0a000001); IPv6 as any valid text.</summary>
    private static bool IsCanonicalSpelling(string text, IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? text.Contains(':', StringComparison.Ordinal)
            : text.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit));

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    public bool Equals(CidrSet? other) => other is not null && All == other.All && Networks.SequenceEqual(other.Networks);

    public override int GetHashCode() => HashCode.Combine(All, Networks.Count, Networks.Count > 0 ? Networks[0] : default);

    public override string ToString() => All ? "*" : IsEmpty ? "none" : string.Join(',', Networks);
}
