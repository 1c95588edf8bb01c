namespace Sluice.Agent.Install;

/// <summary>Which file in the CNI configuration directory the runtime will use.</summary>
public static class CniConfFiles
{
    private static readonly string[] Extensions = [".conflist", ".conf", ".json"];

    /// <summary>
    /// The configured file (its <c>.conflist</c> twin once converted), else the lexically first
    /// <c>.conf</c>, <c>.conflist</c> or <c>.json</c> file, as kubelet and containerd pick it,
    /// leaving out <paramref name="excluding"/> (Sluice's owned copy, when the primary's file is
    /// wanted). Null when there is none yet.
    /// </summary>
    public static string? Primary(string directory, string? configuredName, string? excluding = null)
    {
        if (configuredName is not null)
        {
            var path = Path.Combine(directory, configuredName);
            var converted = Path.ChangeExtension(path, ".conflist");
            return File.Exists(path) ? path : File.Exists(converted) ? converted : null;
        }

        if (!Directory.Exists(directory))
        {
            return null;
        }

        return Directory.EnumerateFiles(directory)
            .Where(p => !Path.GetFileName(p).StartsWith('.') && Extensions.Contains(Path.GetExtension(p), StringComparer.Ordinal) && Path.GetFileName(p) != excluding)
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
