using System.Security.Cryptography;
using System.Text;

namespace Sluice.TestSupport;

/// <summary>
/// Every entry under a directory as text, one line each: its path, kind (f d l p s c b, as
/// <c>find -printf %y</c> prints it), mode, and for a regular file its size and SHA-256, for a
/// link its target. Two snapshots are equal exactly when nothing under the root was created,
/// removed, written, re-linked or re-moded. Links are not followed.
/// </summary>
public static class FileTreeSnapshot
{
    /// <summary>The tree under <paramref name="root"/>, leaving out <paramref name="except"/> (paths or directories meant to change).</summary>
    public static string Take(string root, params string[] except)
    {
        var listing = ProcessRunner.Check("find", root, "-mindepth", "1", "-printf", "%y %m %P\\0%l\\0");
        var parts = listing.Split('\0');
        var lines = new List<string>();
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            var (kind, mode, relative) = Split(parts[i]);
            var full = Path.Combine(root, relative);
            if (except.Any(e => full == e || full.StartsWith(e.TrimEnd('/') + "/", StringComparison.Ordinal)))
            {
                continue;
            }

            var line = new StringBuilder().Append(relative).Append(' ').Append(kind).Append(' ').Append(mode);
            if (kind == "f")
            {
                var bytes = File.ReadAllBytes(full);
                line.Append(' ').Append(bytes.Length).Append(' ').Append(Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]);
            }
            else if (kind == "l")
            {
                line.Append(" -> ").Append(parts[i + 1]);
            }

            lines.Add(line.ToString());
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    private static (string Kind, string Mode, string Path) Split(string entry)
    {
        var first = entry.IndexOf(' ', StringComparison.Ordinal);
        var second = entry.IndexOf(' ', first + 1);
        return (entry[..first], entry[(first + 1)..second], entry[(second + 1)..]);
    }
}
