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

    /// <summary>
    /// The longest container ID accepted. The spec sets no limit; runtimes send 64 hex digits.
    /// Plugins name files after the ID (host-local's and sluice-ipam's attachment records, with a
    /// prefix, the interface name and a temporary suffix), and a file name has at most 255 bytes.
    /// </summary>
    public const int MaxContainerIdLength = 192;

    /// <summary>Why <paramref name="id"/> cannot be a container ID, or null when it can.</summary>
    public static string? ContainerIdProblem(string? id) =>
        !IsValidIdentifier(id) ? @"must match ^[a-zA-Z0-9][a-zA-Z0-9_.\-]*$"
        : id!.Length > MaxContainerIdLength ? $"is {id.Length} characters long, more than the {MaxContainerIdLength} accepted"
        : null;

    /// <summary>Why <paramref name="name"/> cannot be an interface name, or null when it can (<see cref="Sluice.Net.InterfaceName.Problem"/>).</summary>
    public static string? InterfaceNameProblem(string? name) => Sluice.Net.InterfaceName.Problem(name);
}
