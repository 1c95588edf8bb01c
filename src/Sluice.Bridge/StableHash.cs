using System.Text;

namespace Sluice.Bridge;

/// <summary>
/// FNV-1a (64-bit): a stable, well-spread hash for deriving names. Not SHA-256: on Linux .NET
/// hashes through OpenSSL, and loading it costs every plugin call milliseconds.
/// </summary>
internal static class StableHash
{
    public static ulong Of(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
