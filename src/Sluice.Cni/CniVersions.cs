using System.Globalization;

namespace Sluice.Cni;

/// <summary>The CNI specification versions Sluice speaks, and comparisons between versions.</summary>
public static class CniVersions
{
    public const string V0_3_0 = "0.3.0";
    public const string V0_3_1 = "0.3.1";
    public const string V0_4_0 = "0.4.0";
    public const string V1_0_0 = "1.0.0";
    public const string V1_1_0 = "1.1.0";

    /// <summary>The version a configuration without <c>cniVersion</c> is taken to have.</summary>
    public const string Implicit = "0.1.0";

    public const string Latest = V1_1_0;

    public static IReadOnlyList<string> Supported { get; } = [V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0];

    public static bool IsSupported(string version) => Supported.Contains(version, StringComparer.Ordinal);

    /// <summary>Orders two versions numerically (so "0.10.0" comes after "0.4.0").</summary>
    public static int Compare(string left, string right)
    {
        var a = Parse(left);
        var b = Parse(right);
        return a.CompareTo(b);
    }

    public static bool AtLeast(string version, string minimum) => Compare(version, minimum) >= 0;

    public static bool TryParse(string? text, out Version version)
    {
        version = new Version(0, 0, 0);
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length is < 1 or > 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit) ||
                !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new Version(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    private static Version Parse(string text) =>
        TryParse(text, out var version)
            ? version
            : throw new CniException(CniErrorCode.IncompatibleCniVersion, $"invalid CNI version '{text}'");
}
