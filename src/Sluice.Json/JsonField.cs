using System.Text.Json;

namespace Sluice.Json;

/// <summary>
/// One key of an object type: its name, how its value is read into an object and written from
/// it. An abstract class rather than an interface: a plugin reads a configuration once per
/// process, and each first call through an interface (more so a variant one) costs the runtime a
/// dispatch resolution that a virtual call does not.
/// </summary>
public abstract class JsonField<T>
{
    protected JsonField(string key) => Key = key;

    /// <summary>The key as declared (and as written).</summary>
    public string Key { get; }

    public abstract void Read(T target, ref Utf8JsonReader reader, in JsonAt at);

    /// <summary>Writes the key and its value, or nothing when the value is absent.</summary>
    public abstract void Write(Utf8JsonWriter writer, T source);
}

/// <summary>A key whose value a <see cref="JsonCodec{TValue}"/> reads and writes through a getter and a setter.</summary>
public sealed class JsonField<T, TValue>(string key, JsonCodec<TValue> codec, Func<T, TValue> get, Action<T, TValue> set) : JsonField<T>(key)
{
    public override void Read(T target, ref Utf8JsonReader reader, in JsonAt at) => set(target, codec.Read(ref reader, at));

    public override void Write(Utf8JsonWriter writer, T source)
    {
        var value = get(source);
        if (!codec.IsAbsent(value))
        {
            writer.WritePropertyName(Key);
            codec.Write(writer, value);
        }
    }
}

/// <summary>A key a base type declares, serving a type derived from it (the spec's keys in every plugin's configuration).</summary>
internal sealed class InheritedField<T, TBase>(JsonField<TBase> field) : JsonField<T>(field.Key)
    where T : class, TBase
{
    public override void Read(T target, ref Utf8JsonReader reader, in JsonAt at) => field.Read(target, ref reader, at);

    public override void Write(Utf8JsonWriter writer, T source) => field.Write(writer, source);
}
