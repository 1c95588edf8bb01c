using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Json;

/// <summary>
/// Reads and writes <typeparamref name="T"/> with its shape inside System.Text.Json (a type
/// that a source-generated context reaches through a list or a watch event), so its keys stay
/// declared once. The serializer hands the converter no input to slice, so a shape read this way
/// must not hold <see cref="JsonCodecs.RawBytes"/> values. A value of the wrong type throws
/// <see cref="JsonFieldException"/> naming the field from this object down.
/// </summary>
public class JsonShapeConverter<T>(JsonShape<T> shape) : JsonConverter<T>
    where T : class
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        shape.Read(ref reader, JsonAt.Root(ReadOnlyMemory<byte>.Empty));

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => shape.Write(writer, value);
}
