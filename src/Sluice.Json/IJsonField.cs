using System.Text.Json;

namespace Sluice.Json;

/// <summary>
/// One key of an object type: its name, how its value is read into an object and written from
/// it. Contravariant, so the keys a base type declares (the spec's part of every CNI
/// configuration) serve every type derived from it.
/// </summary>
public interface IJsonField<in T>
{
    /// <summary>The key as declared (and as written).</summary>
    string Key { get; }

    void Read(T target, ref Utf8JsonReader reader, in JsonAt at);

    /// <summary>Writes the key and its value, or nothing when the value is absent.</summary>
    void Write(Utf8JsonWriter writer, T source);
}

/// <summary>A key whose value a <see cref="JsonCodec{TValue}"/> reads and writes through a getter and a setter.</summary>
public sealed class JsonField<T, TValue>(string key, JsonCodec<TValue> codec, Func<T, TValue> get, Action<T, TValue> set) : IJsonField<T>
{
    public string Key { get; } = key;

    public void Read(T target, ref Utf8JsonReader reader, in JsonAt at) => set(target, codec.Read(ref reader, at));

    public void Write(Utf8JsonWriter writer, T source)
    {
        var value = get(source);
        if (!codec.IsAbsent(value))
        {
            writer.WritePropertyName(Key);
            codec.Write(writer, value);
        }
    }
}
