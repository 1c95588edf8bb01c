using System.Text.Json;

namespace Sluice.Json;

public static partial class JsonCodecs
{
    /// <summary>Any JSON value, kept as a <see cref="JsonElement"/> for whoever owns its schema (JSON <c>null</c>: none).</summary>
    public static JsonCodec<JsonElement?> Raw => field ??= new RawCodec();

    /// <summary>
    /// Any JSON value, kept as its own bytes in the input (JSON <c>null</c>: none). The reader
    /// checks the value's syntax as it skips it; no document is built, which for a
    /// <c>prevResult</c> cost more than reading the result from the bytes later.
    /// </summary>
    public static JsonCodec<ReadOnlyMemory<byte>?> RawBytes => field ??= new RawBytesCodec();

    private sealed class RawCodec : JsonCodec<JsonElement?>
    {
        public override string Expected => "a JSON value";

        public override JsonElement? Read(ref Utf8JsonReader reader, in JsonAt at) =>
            reader.TokenType == JsonTokenType.Null ? null : JsonElement.ParseValue(ref reader);

        public override void Write(Utf8JsonWriter writer, JsonElement? value)
        {
            if (value is { } element)
            {
                element.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class RawBytesCodec : JsonCodec<ReadOnlyMemory<byte>?>
    {
        public override string Expected => "a JSON value";

        public override ReadOnlyMemory<byte>? Read(ref Utf8JsonReader reader, in JsonAt at)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            var start = checked((int)reader.TokenStartIndex);
            reader.Skip();
            return at.Input[start..checked((int)reader.BytesConsumed)];
        }

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte>? value)
        {
            if (value is { } bytes)
            {
                writer.WriteRawValue(bytes.Span, skipInputValidation: true);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
