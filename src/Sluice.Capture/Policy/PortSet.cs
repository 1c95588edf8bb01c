using System.Globalization;

namespace Sluice.Capture.Policy;

/// <summary>A port or an inclusive range of ports (<c>554</c>, <c>5000-5999</c>).</summary>
public readonly record struct PortRange(int First, int Last)
{
    public bool IsSingle => First == Last;

    public bool Contains(int port) => port >= First && port <= Last;

    public static PortRange Single(int port) => new(port, port);

    public override string ToString() => IsSingle
        ? First.ToString(CultureInfo.InvariantCulture)
        : $"{First.ToString(CultureInfo.InvariantCulture)}-{Last.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A set of TCP/UDP ports: every port (<c>*</c>) or a list of ports and ranges; empty means none.</summary>
public sealed record PortSet(bool All, IReadOnlyList<PortRange> Ranges)
{
    public static PortSet None { get; } = new(false, []);

    public static PortSet Every { get; } = new(true, []);

    public bool IsEmpty => !All && Ranges.Count == 0;

    public bool Contains(int port) => All || Ranges.Any(r => r.Contains(port));

    public static PortSet Of(params int[] ports)
    {
        ArgumentNullException.ThrowIfNull(ports);
        var ranges = new List<PortRange>(ports.Length);
        foreach (var port in ports)
        {
            ranges.Add(PortRange.Single(port));
        }

        return new PortSet(false, Normalized(ranges));
    }

    /// <summary>Parses <c>*</c>, an empty string, or <c>80,443,5000-5999</c> (<c>5000:5999</c> too); a bad value names <paramref name="field"/>.</summary>
    public static PortSet Parse(string? text, string field)
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

        var ranges = new List<PortRange>();
        foreach (var item in trimmed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (item == "*")
            {
                throw new PolicyException(field, trimmed, "mixes '*' with a list of ports");
            }

            var separator = item.IndexOfAny(['-', ':']);
            if (separator < 0)
            {
                ranges.Add(PortRange.Single(ParsePort(item, field)));
                continue;
            }

            var first = ParsePort(item[..separator], field);
            var last = ParsePort(item[(separator + 1)..], field);
            if (last < first)
            {
                throw new PolicyException(field, item, "is not a port range (the first port comes after the last)");
            }

            ranges.Add(new PortRange(first, last));
        }

        return new PortSet(false, Normalized(ranges));
    }

    public static int ParsePort(string text, string field) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535
            ? port
            : throw new PolicyException(field, text, "is not a port (1-65535)");

    public bool Equals(PortSet? other) => other is not null && All == other.All && Ranges.SequenceEqual(other.Ranges);

    public override int GetHashCode() => HashCode.Combine(All, Ranges.Count, Ranges.Count > 0 ? Ranges[0] : default);

    /// <summary>The ports of both sets.</summary>
    public PortSet Union(PortSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return All || other.All
            ? Every
            : new PortSet(false, Normalized([.. Ranges, .. other.Ranges]));
    }

    /// <summary>
    /// The ranges sorted by first then last port, duplicates dropped (overlaps stay as given).
    /// Plain loops, not LINQ: this runs in every plugin call, where each generic LINQ operator
    /// costs a runtime lookup of its own the first time (docs/benchmarks.md).
    /// </summary>
    private static List<PortRange> Normalized(List<PortRange> ranges)
    {
        ranges.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
        var write = 0;
        for (var read = 0; read < ranges.Count; read++)
        {
            if (write == 0 || ranges[read] != ranges[write - 1])
            {
                ranges[write++] = ranges[read];
            }
        }

        ranges.RemoveRange(write, ranges.Count - write);
        return ranges;
    }

    public override string ToString() => All ? "*" : IsEmpty ? "none" : string.Join(',', Ranges);
}
