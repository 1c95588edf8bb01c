using System.Net;
using System.Net.Sockets;
using Sluice.Net;

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

        var distinct = networks.Distinct().ToList();
        return distinct.Count <= CaptureLimits.MaxListEntries
            ? new CidrSet(false, distinct)
            : throw new PolicyException(field, CaptureLimits.Excerpt(trimmed), $"lists {distinct.Count} networks; at most {CaptureLimits.MaxListEntries} are allowed (write wider prefixes)");
    }

    /// <summary>A network in strict CIDR notation (<see cref="Cidr"/>); a bare address is a host.</summary>
    private static IPNetwork ParseNetwork(string text, string field) =>
        Cidr.Problem(text, out var network, bareAddressIsHost: true) is { } problem ? throw new PolicyException(field, text, problem) : network;

    public bool Equals(CidrSet? other) => other is not null && All == other.All && Networks.SequenceEqual(other.Networks);

    public override int GetHashCode() => HashCode.Combine(All, Networks.Count, Networks.Count > 0 ? Networks[0] : default);

    public override string ToString() => All ? "*" : IsEmpty ? "none" : string.Join(',', Networks);
}
