using System.Text.Json;

namespace Sluice.Json;

/// <summary>Reads a whole JSON text with a codec: one value, nothing after it.</summary>
public static class JsonText
{
    /// <summary>
    /// The value <paramref name="input"/> holds. <paramref name="path"/> names it when it is part of
    /// something larger (an <c>ipam</c> section read on its own), so that errors name the field as
    /// the user wrote it. Throws <see cref="JsonFieldException"/> for a value the codec refuses,
    /// <see cref="JsonException"/> for input that is not JSON, and
    /// <see cref="InvalidOperationException"/> for a string that cannot be transcoded.
    /// </summary>
    public static TValue Read<TValue>(ReadOnlyMemory<byte> input, JsonCodec<TValue> codec, string path = "")
    {
        ArgumentNullException.ThrowIfNull(codec);
        var reader = new Utf8JsonReader(input.Span);
        reader.Read();
        var value = codec.Read(ref reader, JsonAt.Root(input, path));
        if (reader.Read())
        {
            // The reader itself rejects anything but white space after the root value; kept as a guard.
            throw new JsonException("there is more after the JSON value");
        }

        return value;
    }
}
