using System.Text.Json;

namespace Sluice.Kube.Models;

/// <summary>A Pod to and from JSON with the source-generated metadata (for passing pods between Sluice processes).</summary>
public static class PodJson
{
    public static string Write(Pod pod) => JsonSerializer.Serialize(pod, KubeJsonContext.Default.Pod);

    /// <exception cref="JsonException">Not a Pod.</exception>
    public static Pod Read(string json) =>
        JsonSerializer.Deserialize(json, KubeJsonContext.Default.Pod) ?? throw new JsonException("the pod is null");
}
