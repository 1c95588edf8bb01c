using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Json;

namespace Sluice.Kube.Models;

/// <summary>
/// A Pod to and from JSON with <see cref="Pod.Shape"/> (for passing pods between Sluice
/// processes): no serializer metadata is created, a plugin reads one pod per call. Keys match
/// exactly, unknown keys are skipped.
/// </summary>
public static class PodJson
{
    public static string Write(Pod pod)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Pod.Shape.Write(writer, pod);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a pod.</summary>
    /// <exception cref="JsonException">Not JSON, or more than one value.</exception>
    /// <exception cref="JsonFieldException">A value of the wrong type (its path names the field), or not an object.</exception>
    public static Pod Read(string json) => Read(Encoding.UTF8.GetBytes(json));

    /// <inheritdoc cref="Read(string)"/>
    public static Pod Read(ReadOnlyMemory<byte> utf8Json)
    {
        try
        {
            return JsonText.Read(utf8Json, Pod.Shape) ?? throw new JsonFieldException("", "a pod (an object)");
        }
        catch (InvalidOperationException error)
        {
            // A string that cannot be transcoded (invalid UTF-8, an escaped lone surrogate): not a valid pod.
            throw new System.Text.Json.JsonException("a string in the pod cannot be decoded (invalid UTF-8 or a lone surrogate)", error);
        }
    }
}
