using Sluice.Kube.Errors;

namespace Sluice.Kube.Config;

public sealed partial class KubeConfig
{
    /// <summary>
    /// Loads a kubeconfig file (YAML in any style kubectl reads, or JSON) and resolves
    /// <paramref name="context"/> (default: its current-context). Relative file paths in it
    /// are taken relative to the file's directory.
    /// </summary>
    /// <exception cref="KubeConfigException">The file cannot be read, parsed or resolved; the message names the file, the line and the field.</exception>
    public static KubeConfig Load(string path, string? context = null)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = KubeFile.ReadText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {fullPath}: cannot be read: {ErrorWords.FileProblem(e)}", e);
        }

        return Parse(text, fullPath, context);
    }

    /// <summary>
    /// Checks that a kubeconfig file is there and can be opened for reading, without reading it
    /// as YAML (for sluice-redirect, which leaves reading it to sluice-kube and so links no YAML parser).
    /// </summary>
    /// <exception cref="KubeConfigException">It cannot be opened; the message names the file and why.</exception>
    public static void CheckReadable(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {fullPath}: cannot be read: {ErrorWords.FileProblem(e)}", e);
        }
    }

    /// <summary>
    /// Parses kubeconfig text as if it had been read from <paramref name="path"/> (which names
    /// it in messages and anchors relative paths).
    /// </summary>
    public static KubeConfig Parse(string text, string path, string? context = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fullPath = Path.GetFullPath(path);
        var source = $"kubeconfig {fullPath}";
        var root = KubeconfigDocument.Read(text, source);
        return new KubeConfigResolver(source, Path.GetDirectoryName(fullPath) ?? "/", root).Resolve(context);
    }
}
