using Sluice.Kube.Errors;
namespace Sluice.Kube.Config;

public sealed partial class KubeConfig
{
    /// <summary>
    /// Loads a kubeconfig file (YAML as kubectl writes it, or JSON) and resolves
    /// <paramref name="context"/> (default: its current-context). Relative file paths in it
    /// are taken relative to the file's directory.
    /// </summary>
    /// <exception cref="KubeConfigException">The file cannot be read, parsed or resolved; the message names the file and field.</exception>
    public static KubeConfig Load(string path, string? context = null)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"kubeconfig {fullPath}: cannot be read: {ErrorWords.FileProblem(e)}", e);
        }

        return Parse(text, fullPath, context);
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
        ConfigNode root;
        try
        {
            root = text.TrimStart().StartsWith('{') ? JsonConfigReader.Read(text) : YamlSubsetReader.Read(text);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            throw new KubeConfigException($"{source}: not valid YAML or JSON: {(e is System.Text.Json.JsonException json ? ErrorWords.JsonProblem(json) : e.Message)}", e);
        }

        return new KubeConfigResolver(source, Path.GetDirectoryName(fullPath) ?? "/", root).Resolve(context);
    }
}
