namespace Sluice.Net;

/// <summary>
/// Network interface names: the kernel's rule (what <c>dev_valid_name</c> accepts, which the CNI
/// spec repeats for <c>CNI_IFNAME</c>), and the stricter form a capture rule may match, which
/// ends up in iptables-restore text and nftables expressions.
/// </summary>
public static class InterfaceName
{
    /// <summary>Linux IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxBytes = 15;

    /// <summary>The wildcard iptables takes at the end of a name (<c>eth+</c>: every name starting with <c>eth</c>).</summary>
    public const char Wildcard = '+';

    /// <summary>Why <paramref name="name"/> cannot be an interface name, or null when it can: at most 15 bytes, not <c>.</c> or <c>..</c>, no <c>/</c>, <c>:</c>, white space or control character.</summary>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"is longer than {MaxBytes} bytes";
        }

        if (name is "." or "..")
        {
            return "is '.' or '..'";
        }

        foreach (var c in name)
        {
            if (c is '/' or ':' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return "contains '/', ':', whitespace or a control character";
            }
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="name"/> cannot be matched by a capture rule, or null when it can: an
    /// interface name of ASCII letters, digits, <c>_</c>, <c>.</c> and <c>-</c> (not first), at most
    /// 15 bytes, optionally ending in the wildcard <c>+</c> after at least one character. A bare
    /// <c>+</c> would match every interface (and so turn capture off); quotes, backslashes and
    /// a leading <c>-</c> would change the meaning of the iptables-restore line the name is written into.
    /// </summary>
    public static string? PatternProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (name == "+")
        {
            return "would match every interface (a wildcard '+' needs a prefix, as in 'veth+')";
        }

        if (name.Length > MaxBytes)
        {
            return $"is longer than {MaxBytes} characters";
        }

        if (name is "." or "..")
        {
            return "is '.' or '..'";
        }

        if (name[0] == '-')
        {
            return "starts with '-'";
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var allowed = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' || (c == Wildcard && i == name.Length - 1);
            if (!allowed)
            {
                return c == Wildcard
                    ? "has '+' before its end (the wildcard '+' may only end a name)"
                    : "contains a character other than ASCII letters, digits, '_', '.', '-' and a final '+'";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="pattern"/> ends in the wildcard (and so matches every name that starts with the rest).</summary>
    public static bool IsWildcard(string pattern) => pattern.Length > 1 && pattern[^1] == Wildcard;
}
