using Sluice.Linux.Namespaces;

namespace Sluice.Agent.Capture.Netns;

/// <summary>The kernel's identity of a network namespace (<c>net:[4026531840]</c>), whatever path names it.</summary>
internal static class NamespaceIdentity
{
    /// <summary>
    /// A process's namespace by its link (<c>/proc/PID/ns/net</c>: readlink, nothing opened), any
    /// other nsfs file by opening it; null when it is gone, unreadable or no network namespace.
    /// </summary>
    public static string? Of(string path)
    {
        try
        {
            if (new FileInfo(path).LinkTarget is { } target)
            {
                return target.StartsWith("net:[", StringComparison.Ordinal) ? target : null;
            }

            using var ns = NetNs.Open(path);
            return ns.Identity();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or Sluice.Linux.LinuxException)
        {
            return null;
        }
    }
}
