namespace Sluice.Cni;

/// <summary>The spec's rules for container IDs, network names and interface names.</summary>
public static class CniNames
{
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

    /// <summary>Why <paramref name="name"/> cannot be an interface name, or null when it can (<see cref="Sluice.Net.InterfaceName.Problem"/>).</summary>
    public static string? InterfaceNameProblem(string? name) => Sluice.Net.InterfaceName.Problem(name);
}
