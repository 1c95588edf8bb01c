using System.Text.Json;

namespace Sluice.Json;

public static partial class JsonCodecs
{
    public static JsonCodec<List<string>?> TextList => field ??= ListOf(RequiredText);

    public static JsonCodec<Dictionary<string, string>?> TextMap => field ??= MapOf(RequiredText);

    public static JsonCodec<Dictionary<string, bool>?> BooleanMap => field ??= MapOf(Required(Boolean));

    /// <summary>An array of <paramref name="item"/> values (JSON <c>null</c>: no list).</summary>
    public static JsonCodec<List<TItem>?> ListOf<TItem>(JsonCodec<TItem> item) => new ListCodec<TItem>(item);

    /// <summary>An object used as a map from its keys (kept as written) to <paramref name="value"/> values.</summary>
    public static JsonCodec<Dictionary<string, TValue>?> MapOf<TValue>(JsonCodec<TValue> value) => new MapCodec<TValue>(value);

    /// <summary><paramref name="codec"/> without JSON <c>null</c>: for map values and list items that must be present.</summary>
    public static JsonCodec<TValue> Required<TValue>(JsonCodec<TValue?> codec)
        where TValue : struct => new RequiredCodec<TValue>(codec);

    /// <summary><paramref name="codec"/> (an object's shape) without JSON <c>null</c>: for list items that must be objects.</summary>
    public static JsonCodec<TValue> NonNull<TValue>(JsonCodec<TValue?> codec)
        where TValue : class => new NonNullCodec<TValue>(codec);

    private sealed class NonNullCodec<TValue>(JsonCodec<TValue?> codec) : JsonCodec<TValue>
        where TValue : class
    {
        public override string Expected => codec.Expected;

        public override TValue Read(ref Utf8JsonReader reader, in JsonAt at) =>
            codec.Read(ref reader, at) ?? throw WrongType(at);

        public override void Write(Utf8JsonWriter writer, TValue value) => codec.Write(writer, value);

        public override bool IsAbsent(TValue value) => false;
    }

    private sealed class ListCodec<TItem>(JsonCodec<TItem> item) : JsonCodec<List<TItem>?>
    {
        public override string Expected => "an array";

        public override List<TItem>? Read(ref Utf8JsonReader reader, in JsonAt at)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw WrongType(at);
            }

            var path = at.Path;
            var list = new List<TItem>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                list.Add(item.Read(ref reader, at.Item(path, list.Count)));
            }

            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<TItem>? value)
        {
            if (value is null)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartArray();
            foreach (var entry in value)
            {
                item.Write(writer, entry);
            }

            writer.WriteEndArray();
        }
    }

    private sealed class MapCodec<TValue>(JsonCodec<TValue> value) : JsonCodec<Dictionary<string, TValue>?>
    {
        public override string Expected => "an object";

        public override Dictionary<string, TValue>? Read(ref Utf8JsonReader reader, in JsonAt at)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw WrongType(at);
            }

            var path = at.Path;
            var map = new Dictionary<string, TValue>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                map[key] = value.Read(ref reader, at.Key(path, key));
            }

            return map;
        }

        public override void Write(Utf8JsonWriter writer, Dictionary<string, TValue>? map)
        {
            if (map is null)
            {
                writer.WriteNullValue();
                return;
            }

            writer.WriteStartObject();
            foreach (var (key, entry) in map)
            {
                writer.WritePropertyName(key);
                value.Write(writer, entry);
            }

            writer.WriteEndObject();
        }
    }

    private sealed class RequiredCodec<TValue>(JsonCodec<TValue?> codec) : JsonCodec<TValue>
        where TValue : struct
    {
        public override string Expected => codec.Expected;

        public override TValue Read(ref Utf8JsonReader reader, in JsonAt at) =>
            codec.Read(ref reader, at) ?? throw WrongType(at);

        public override void Write(Utf8JsonWriter writer, TValue value) => codec.Write(writer, value);

        public override bool IsAbsent(TValue value) => false;
    }
}
