namespace Sluice.Cni;

/// <summary>The spec's rules for container IDs, network names and interface names.</summary>
public static class CniNames
{
    /// <summary>Linux IFNAMSIZ is 16 including the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary><c>^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$</c>, as the spec requires of container IDs and network names.</summary>
    public static bool IsValidIdentifier(string? value)
    {
        if (string.IsNullOrEmpty(value) || !char.IsAsciiLetterOrDigit(value[0]))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Why <paramref name="name"/> cannot be an interface name, or null when it can.</summary>
    public static string? InterfaceNameProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "is empty";
        }

        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxInterfaceNameBytes)
        {
            return $"is longer than {MaxInterfaceNameBytes} bytes";
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
}
