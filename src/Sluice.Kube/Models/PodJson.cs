using System.Text.Json;

namespace Sluice.Kube.Models;

/// <summary>A Pod to and from JSON with the source-generated metadata (for passing pods between Sluice processes).</summary>
public static class PodJson
{
    public static string Write(Pod pod) => JsonSerializer.Serialize(pod, KubeJsonContext.Default.Pod);

    /// <summary>Reads a pod with the hand-written <see cref="PodReader"/> (no serializer metadata: a plugin reads one pod per call).</summary>
    /// <exception cref="JsonException">Not a Pod.</exception>
    public static Pod Read(string json) => PodReader.Read(System.Text.Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="Read(string)"/>
    public static Pod Read(ReadOnlySpan<byte> utf8Json) => PodReader.Read(utf8Json);
}
