using System.Text.Json;
using Sluice.Kube.Models;
using Sluice.Linux.Files;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>
/// The node's pods as the reconciler last knew them, kept in a root-only file of the run dir so
/// that an agent restarted while the API server is unreachable still checks and repairs the
/// node's mesh pods (through their sandbox records only: a pod is never searched for by address
/// on the word of this file, whose pods may be gone and their addresses reused). Containers'
/// environment is kept only where the decision reads it (the Istio proxy's DNS capture switch):
/// no secret a pod spec may carry in a literal value reaches the disk.
/// </summary>
public sealed class PodSnapshot(string path, AgentLog log)
{
    /// <summary>Its name in the agent's run directory.</summary>
    public const string FileName = "capture-pods.json";

    private const int MaxBytes = 64 << 20;

    public string Path => path;

    public void Save(IEnumerable<Pod> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var pod in pods)
            {
                writer.WriteRawValue(PodJson.Write(WithoutSecrets(pod)), skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        try
        {
            DurableFile.Write(path, buffer.ToArray(), FileSync.None, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            log.Warn($"cannot keep the pod list in {path}: {error.Message}");
        }
    }

    /// <summary>The pods saved last; none when there is no file or it cannot be read.</summary>
    public IReadOnlyList<Pod> Load()
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxBytes)
            {
                return [];
            }

            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            return document.RootElement.EnumerateArray().Select(element => PodJson.Read(element.GetRawText())).ToList();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or Sluice.Json.JsonFieldException or InvalidOperationException)
        {
            log.Warn($"ignoring the pod list in {path}: {error.Message}");
            return [];
        }
    }

    private static Pod WithoutSecrets(Pod pod)
    {
        var copy = PodJson.Read(PodJson.Write(pod));
        foreach (var container in copy.Spec.Containers.Concat(copy.Spec.InitContainers))
        {
            container.Env = container.Env.Where(e => e.Name == CaptureDecider.IstioDnsCaptureEnv).ToList();
        }

        return copy;
    }
}
