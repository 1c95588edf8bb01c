namespace Sluice.Cni.Plugin;

/// <summary>The VERSION command's answer: <c>{"cniVersion": …, "supportedVersions": […]}</c>.</summary>
public static class VersionAnswer
{
    /// <summary>
    /// Prints the answer. VERSION is called often and must start fast, so the text is composed
    /// directly (no serializer start-up): every value in it is a known version string.
    /// </summary>
    public static void Write(Stream stdout, string cniVersion)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        if (!CniVersions.IsSupported(cniVersion))
        {
            cniVersion = CniVersions.Latest;
        }

        var versions = string.Join(", ", CniVersions.Supported.Select(v => $"\"{v}\""));
        var text = $"{{\n  \"cniVersion\": \"{cniVersion}\",\n  \"supportedVersions\": [{versions}]\n}}\n";
        stdout.Write(System.Text.Encoding.UTF8.GetBytes(text));
        stdout.Flush();
    }
}
