using System.Net;
using System.Net.Sockets;

namespace Sluice.Net;

/// <summary>
/// Strict IP address text parsing, like Go's <c>net.ParseIP</c>: IPv4 only as four decimal
/// parts without leading zeros (no <c>10.1</c> or <c>0x0a.0.0.1</c> shorthands), IPv6 with colons.
/// </summary>
public static class IpText
{
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IsEmpty || text.Contains('%'))
        {
            return false;
        }

        if (text.Contains(':'))
        {
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            address = v6;
            return true;
        }

        if (!IsDottedQuad(text) || !IPAddress.TryParse(text, out var v4))
        {
            return false;
        }

        address = v4;
        return true;
    }

    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        return text is not null && TryParse(text.AsSpan(), out address);
    }

    public static IPAddress Parse(string text, string field) =>
        TryParse(text, out var address)
            ? address
            : throw new FormatException($"{field} '{text}' is not an IP address");

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        var digits = 0;
        var value = 0;
        var leadingZero = false;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                if (digits == 0 || value > 255 || (leadingZero && digits > 1))
                {
                    return false;
                }

                parts++;
                digits = 0;
                value = 0;
                continue;
            }

            if (!char.IsAsciiDigit(text[i]) || digits == 3)
            {
                return false;
            }

            if (digits == 0)
            {
                leadingZero = text[i] == '0';
            }

            value = (value * 10) + (text[i] - '0');
            digits++;
        }

        return parts == 4;
    }
}
