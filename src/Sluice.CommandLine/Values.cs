using System.Globalization;

namespace Sluice.CommandLine;

/// <summary>
/// Readers for the kinds of value Sluice's commands take, for <see cref="Option{T}"/>. Each
/// returns the typed value or throws <see cref="InvalidValueException"/> saying what the text is not.
/// </summary>
public static class Values
{
    /// <summary>Any text, as given.</summary>
    public static string Text(string text) => text;

    /// <summary>Text that is not empty.</summary>
    public static string NonEmpty(string text) => text.Length > 0 ? text : throw new InvalidValueException("is empty");

    /// <summary><c>true</c> or <c>false</c>.</summary>
    public static bool Boolean(string text) => text switch
    {
        "true" => true,
        "false" => false,
        _ => throw new InvalidValueException("is not a boolean (true or false)"),
    };

    /// <summary>A TCP or UDP port, 0-65535 (0 usually meaning off).</summary>
    public static int Port(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535 ? port : throw new InvalidValueException("is not a port (0-65535)");

    /// <summary>A whole number above zero.</summary>
    public static int PositiveInteger(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : throw new InvalidValueException("is not a positive whole number");

    /// <summary>A positive whole number of milliseconds.</summary>
    public static TimeSpan Milliseconds(string text) => TimeSpan.FromMilliseconds(PositiveInteger(text));

    /// <summary>A whole number of seconds above zero.</summary>
    public static TimeSpan Seconds(string text) => TimeSpan.FromSeconds(PositiveInteger(text));

    /// <summary>An absolute path.</summary>
    public static string AbsolutePath(string text) => text.StartsWith('/') ? text : throw new InvalidValueException("is not an absolute path");

    /// <summary>Comma-separated items, trimmed, empty ones dropped (an empty text is an empty list).</summary>
    public static IReadOnlyList<string> Items(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Comma-separated absolute paths.</summary>
    public static IReadOnlyList<string> AbsolutePaths(string text)
    {
        var items = Items(text);
        return items.All(i => i.StartsWith('/')) ? items : throw new InvalidValueException("is not a list of absolute paths");
    }

    /// <summary>A reader that accepts one of <paramref name="choices"/> (as written) and calls them <paramref name="what"/> in its error.</summary>
    public static Func<string, string> OneOf(string what, params string[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return text => choices.Contains(text, StringComparer.Ordinal)
            ? text
            : throw new InvalidValueException($"is not {what} ({string.Join(", ", choices)})");
    }
}
