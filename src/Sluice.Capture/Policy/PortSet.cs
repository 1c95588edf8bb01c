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

/// <summary>A set of TCP/UDP ports: every port (<c>*</c>) or a list of ports and ranges, kept merged; empty means none.</summary>
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

        return new PortSet(false, Normalized(ranges)).Capped(field, trimmed);
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
    /// The ranges sorted, with overlapping and adjacent ones merged (<c>80,81,82</c> is <c>80-82</c>):
    /// one rule per range, so a list of every port is one rule, not 65,535. Plain loops, not LINQ:
    /// this runs in every plugin call, where each generic LINQ operator costs a runtime lookup of its
    /// own the first time (docs/benchmarks.md).
    /// </summary>
    private static List<PortRange> Normalized(List<PortRange> ranges)
    {
        ranges.Sort(static (a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Last.CompareTo(b.Last));
        var write = 0;
        for (var read = 0; read < ranges.Count; read++)
        {
            if (write > 0 && ranges[read].First <= ranges[write - 1].Last + 1)
            {
                var last = Math.Max(ranges[write - 1].Last, ranges[read].Last);
                ranges[write - 1] = new PortRange(ranges[write - 1].First, last);
            }
            else
            {
                ranges[write++] = ranges[read];
            }
        }

        ranges.RemoveRange(write, ranges.Count - write);
        return ranges;
    }

    /// <summary>Fails when the set has more than <see cref="CaptureLimits.MaxListEntries"/> ranges after merging, naming <paramref name="field"/>.</summary>
    private PortSet Capped(string field, string text) =>
        Ranges.Count <= CaptureLimits.MaxListEntries
            ? this
            : throw new PolicyException(field, CaptureLimits.Excerpt(text), $"lists {Ranges.Count} separate ports or ranges after merging adjacent ones; at most {CaptureLimits.MaxListEntries} are allowed (write ranges: 5000-5999)");

    public override string ToString() => All ? "*" : IsEmpty ? "none" : string.Join(',', Ranges);
}
