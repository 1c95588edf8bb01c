using System.Text.Json;

namespace Sluice.Json;

/// <summary>
/// An object type's JSON, declared once: each key with its codec, getter and setter, in the
/// order it is written. The same declaration reads (keys matched as <see cref="KeyMatch"/> says,
/// unknown keys skipped, the last of repeated keys winning, a value of the wrong type an error
/// naming its path) and writes (declaration order, absent values left out). No serializer
/// metadata is created: a plugin process reads one configuration, and that metadata would cost
/// more than the rest of the call.
/// </summary>
public sealed partial class JsonShape<T> : JsonCodec<T?>
    where T : class
{
    private const int LongestInlineKey = 64;

    private readonly Func<T> _create;
    private readonly KeyMatch _match;
    private readonly List<JsonField<T>> _fields = [];
    private readonly List<(string Alias, JsonField<T> Field)> _aliases = [];
    private KeyTable? _keys;

    public JsonShape(Func<T> create, KeyMatch match = KeyMatch.IgnoreCase)
    {
        ArgumentNullException.ThrowIfNull(create);
        _create = create;
        _match = match;
    }

    public override string Expected => "an object";

    /// <summary>The declared keys, in declaration order (aliases not included).</summary>
    public IReadOnlyList<JsonField<T>> Fields => _fields;

    /// <summary>Declares a key.</summary>
    public JsonShape<T> Add(JsonField<T> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        _fields.Add(field);
        return this;
    }

    /// <summary>Reads <paramref name="alias"/> as the declared key <paramref name="key"/> (another spelling of it; never written).</summary>
    public JsonShape<T> Alias(string alias, string key)
    {
        _aliases.Add((alias, _fields.Single(f => f.Key == key)));
        return this;
    }

    public JsonShape<T> Field<TValue>(string key, JsonCodec<TValue> codec, Func<T, TValue> get, Action<T, TValue> set) =>
        Add(new JsonField<T, TValue>(key, codec, get, set));

    public override T? Read(ref Utf8JsonReader reader, in JsonAt at)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(at);
        }

        var target = _create();
        var path = at.Path;
        Span<char> buffer = stackalloc char[LongestInlineKey];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Find(ref reader, buffer, out var key);
            reader.Read();
            if (field is null)
            {
                reader.Skip();
            }
            else
            {
                field.Read(target, ref reader, at.Key(path, key));
            }
        }

        return target;
    }

    public override void Write(Utf8JsonWriter writer, T? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        foreach (var field in _fields)
        {
            field.Write(writer, value);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The field the reader's property name declares, or null. The name is compared without
    /// becoming a string (a configuration has dozens of keys per call); <paramref name="key"/> is
    /// the name as written, for error paths: the declared string when it is spelled the same.
    /// </summary>
    private JsonField<T>? Find(ref Utf8JsonReader reader, scoped Span<char> buffer, out string key)
    {
        var keys = _keys ??= new KeyTable(_fields, _aliases, _match);
        if (reader.ValueIsEscaped || reader.ValueSpan.Length > buffer.Length)
        {
            key = reader.GetString()!;
            return keys.ByKey.GetValueOrDefault(key);
        }

        var length = reader.CopyString(buffer);
        var written = buffer[..length];
        if (!keys.BySpan.TryGetValue(written, out var field))
        {
            key = "";
            return null;
        }

        key = written.SequenceEqual(field.Key) ? field.Key : new string(written);
        return field;
    }

    /// <summary>
    /// The keys by name, built on the first read (a shape used only to declare keys for another, or
    /// only to write, never builds one). Built whole and then published, so threads that race to
    /// build it each get a complete table.
    /// </summary>
    private sealed class KeyTable
    {
        public KeyTable(List<JsonField<T>> fields, List<(string Alias, JsonField<T> Field)> aliases, KeyMatch match)
        {
            ByKey = new Dictionary<string, JsonField<T>>(fields.Count + aliases.Count, match == KeyMatch.IgnoreCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
            foreach (var field in fields)
            {
                ByKey.Add(field.Key, field);
            }

            foreach (var (alias, field) in aliases)
            {
                ByKey.Add(alias, field);
            }

            BySpan = ByKey.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public Dictionary<string, JsonField<T>> ByKey { get; }

        public Dictionary<string, JsonField<T>>.AlternateLookup<ReadOnlySpan<char>> BySpan { get; }
    }
}
