using Sluice.Net;

namespace Sluice.Capture.Policy;

/// <summary>A list of interface names for capture rules, as flags and annotations write it: <c>eth1,veth+</c>.</summary>
public static class InterfaceNames
{
    /// <summary>
    /// The names in <paramref name="text"/> (comma-separated, duplicates dropped), each one that a
    /// capture rule can match (<see cref="InterfaceName.PatternProblem"/>), at most
    /// <see cref="CaptureLimits.MaxInterfaces"/>; a bad one names <paramref name="field"/>.
    /// </summary>
    public static IReadOnlyList<string> Parse(string text, string field)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        Check(names, field);
        return names;
    }

    /// <summary>Fails naming <paramref name="field"/> on the first name a capture rule cannot match, or on too many names.</summary>
    public static void Check(IReadOnlyList<string> names, string field)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count > CaptureLimits.MaxInterfaces)
        {
            throw new PolicyException(field, CaptureLimits.Excerpt(string.Join(',', names)), $"lists {names.Count} interfaces; at most {CaptureLimits.MaxInterfaces} are allowed (a final '+' matches a whole family: veth+)");
        }

        foreach (var name in names)
        {
            if (InterfaceName.PatternProblem(name) is { } problem)
            {
                throw new PolicyException(field, CaptureLimits.Excerpt(name), $"is not an interface name: it {problem}");
            }
        }
    }
}
