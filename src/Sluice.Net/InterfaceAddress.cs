using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sluice.Net;

/// <summary>
/// An interface address with its prefix length (<c>10.22.0.5/24</c>). Unlike
/// <see cref="IPNetwork"/>, host bits are allowed: this is an address, not a subnet.
/// </summary>
public readonly record struct InterfaceAddress(IPAddress Address, int PrefixLength)
{
    public bool IsIPv4 => Address.AddressFamily == AddressFamily.InterNetwork;

    /// <summary>The subnet the address lies in (host bits cleared).</summary>
    public IPNetwork Network => new(Cidr.Masked(Address, PrefixLength), PrefixLength);

    public static InterfaceAddress Parse(string text) =>
        TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not an address with a prefix length (like 10.0.0.5/24)");

    public static bool TryParse(string? text, out InterfaceAddress value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 ||
            !IpText.TryParse(text.AsSpan(0, slash), out var address) ||
            !int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var maxPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefix > maxPrefix || text.AsSpan(slash + 1).Length > 3)
        {
            return false;
        }

        value = new InterfaceAddress(address, prefix);
        return true;
    }

    // Concatenated, not interpolated: this text goes into other interpolated messages, and nested
    // interpolations cost a plugin 0.35 ms (docs/benchmarks.md, "Nested interpolations").
    public override string ToString() => Address + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
}
