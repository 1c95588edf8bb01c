using System.Text.Json;

namespace Sluice.Cni.Json;

/// <summary>
/// Typed values from a <see cref="Utf8JsonReader"/> positioned on a value, for the hand-written
/// readers of the hot path (the serializer's metadata costs more than a plugin call's work).
/// Types are as strict as System.Text.Json's: a number is not a string, <c>1.5</c> is not an
/// integer; JSON <c>null</c> is null. A value of the wrong type throws
/// <see cref="JsonFieldException"/> naming <c>path</c>.
/// </summary>
public static class JsonFields
{
    public const string AnInteger = "an integer";
    public const string AString = "a string";
    public const string ABoolean = "true or false";
    public const string AnArray = "an array";
    public const string AnObject = "an object";

    /// <summary>Whether a key read from the input names <paramref name="name"/>: keys match without regard to case, as in Go's decoder.</summary>
    public static bool KeyIs(string key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);

    /// <summary>The path of a field of the object at <paramref name="path"/> (empty: the top level).</summary>
    public static string Child(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public static string? String(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new JsonFieldException(path, AString),
    };

    public static int? Int32(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw new JsonFieldException(path, AnInteger),
    };

    public static long? Int64(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw new JsonFieldException(path, AnInteger),
    };

    public static bool? Boolean(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new JsonFieldException(path, ABoolean),
    };

    /// <summary>The value as a <see cref="JsonElement"/> of its own (any JSON value; no serializer involved).</summary>
    public static JsonElement Element(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);

    /// <summary>Moves into an object: false for <c>null</c> (the field stays absent), else the reader is on its <c>{</c>.</summary>
    public static bool StartObject(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.StartObject => true,
        JsonTokenType.Null => false,
        _ => throw new JsonFieldException(path, AnObject),
    };

    /// <summary>Moves into an array: false for <c>null</c>, else the reader is on its <c>[</c>.</summary>
    public static bool StartArray(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.StartArray => true,
        JsonTokenType.Null => false,
        _ => throw new JsonFieldException(path, AnArray),
    };

    /// <summary>The next key of the object being read, with the reader moved onto its value; false at the object's end.</summary>
    public static bool NextKey(ref Utf8JsonReader reader, out string key)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            key = "";
            return false;
        }

        key = reader.GetString()!;
        reader.Read();
        return true;
    }

    /// <summary>The next element of the array being read, with the reader on it; false at the array's end.</summary>
    public static bool NextItem(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    public static List<string>? StringList(ref Utf8JsonReader reader, string path)
    {
        if (!StartArray(ref reader, path))
        {
            return null;
        }

        var list = new List<string>();
        while (NextItem(ref reader))
        {
            list.Add(String(ref reader, $"{path}[{list.Count}]")!);
        }

        return list;
    }

    public static Dictionary<string, string>? StringMap(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (NextKey(ref reader, out var key))
        {
            map[key] = String(ref reader, $"{path}.{key}")!;
        }

        return map;
    }

    public static Dictionary<string, bool>? BooleanMap(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var map = new Dictionary<string, bool>(StringComparer.Ordinal);
        while (NextKey(ref reader, out var key))
        {
            map[key] = Boolean(ref reader, $"{path}.{key}") ?? throw new JsonFieldException($"{path}.{key}", ABoolean);
        }

        return map;
    }

    /// <summary>Reads the whole of <paramref name="json"/> as one value with <paramref name="read"/>; content after it is an error, as in the serializer.</summary>
    public static T ReadWhole<T>(ReadOnlySpan<byte> json, ReadValue<T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var reader = new Utf8JsonReader(json);
        reader.Read();
        var value = read(ref reader);
        if (reader.Read())
        {
            // The reader itself rejects anything but white space after the root value; kept as a guard.
            throw new JsonException("there is more after the JSON value");
        }

        return value;
    }

    /// <summary>Reads one value at the reader's position.</summary>
    public delegate T ReadValue<out T>(ref Utf8JsonReader reader);
}
