using System.Text.Json;
using Sluice.Cni.Json;
using static Sluice.Cni.Json.JsonFields;

namespace Sluice.Cni.Config;

/// <summary>
/// Reads a plugin configuration by hand instead of with the serializer, whose metadata creation
/// costs more than the rest of a plugin call (docs/benchmarks.md). It reads what
/// <see cref="NetworkConfig"/> declares and hands every other key to the plugin's own reader;
/// keys nobody reads go to <see cref="NetworkConfig.Extra"/>. Keys match without regard to case,
/// <c>prevResult</c> and <c>ipam</c> stay raw JSON, and a value of the wrong type is a decoding
/// failure naming the field, worded as for the serializer. <c>prevResult</c> is kept as its bytes
/// (<see cref="NetworkConfig.PrevResultJson"/>). The sections a runtime rarely sends
/// (<c>runtimeConfig</c>, <c>args</c>, GC attachments) are still read by the serializer, which
/// then creates metadata for those types only.
/// </summary>
public static class NetworkConfigReader
{
    /// <summary>Reads a plugin's own key at the top level (the reader is on its value); false: not one of the plugin's keys.</summary>
    public delegate bool ReadOwnKey<in TConfig>(TConfig config, string key, ref Utf8JsonReader reader);

    /// <summary>Parses <paramref name="json"/>; <paramref name="what"/> names the input in errors.</summary>
    public static TConfig Read<TConfig>(ReadOnlyMemory<byte> json, string what, ReadOwnKey<TConfig>? ownKey = null)
        where TConfig : NetworkConfig, new()
    {
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{what} is empty");
        }

        // As for the serializer (JsonDecoding.Decode): the reader checks UTF-8 only where it
        // transcodes a string, and then throws InvalidOperationException.
        if (JsonDecoding.InvalidUtf8At(json.Span) is { } offset)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: not valid UTF-8 (byte {offset})");
        }

        try
        {
            return ReadWhole(json.Span, (ref Utf8JsonReader reader) => ReadObject(ref reader, json, ownKey, what)) ??
                   throw new CniException(CniErrorCode.DecodingFailure, $"{what} is null");
        }
        catch (JsonFieldException error)
        {
            throw error.ToCniError(what);
        }
        catch (JsonException error)
        {
            throw JsonDecoding.Describe(error, what);
        }
        catch (InvalidOperationException error)
        {
            // A string that cannot be transcoded (an escaped lone surrogate, for one).
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: {error.Message}", inner: error);
        }
    }

    private static TConfig? ReadObject<TConfig>(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, ReadOwnKey<TConfig>? ownKey, string what)
        where TConfig : NetworkConfig, new()
    {
        if (!StartObject(ref reader, ""))
        {
            return null;
        }

        var config = new TConfig();
        while (NextKey(ref reader, out var key))
        {
            if (!ReadBaseKey(config, key, ref reader, json, what) && ownKey?.Invoke(config, key, ref reader) != true)
            {
                (config.Extra ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[key] = Element(ref reader);
            }
        }

        return config;
    }

    private static bool ReadBaseKey(NetworkConfig config, string key, ref Utf8JsonReader reader, ReadOnlyMemory<byte> json, string what)
    {
        if (KeyIs(key, "cniVersion"))
        {
            config.CniVersion = String(ref reader, key);
        }
        else if (KeyIs(key, "name"))
        {
            config.Name = String(ref reader, key);
        }
        else if (KeyIs(key, "type"))
        {
            config.Type = String(ref reader, key);
        }
        else if (KeyIs(key, "prevResult"))
        {
            config.PrevResultJson = RawBytesOrNull(ref reader, json);
        }
        else if (KeyIs(key, "ipam"))
        {
            config.Ipam = RawOrNull(ref reader);
        }
        else if (KeyIs(key, "ipMasq"))
        {
            config.IpMasq = Boolean(ref reader, key);
        }
        else if (KeyIs(key, "capabilities"))
        {
            config.Capabilities = BooleanMap(ref reader, key);
        }
        else if (KeyIs(key, "dns"))
        {
            config.Dns = CniDnsReader.Read(ref reader, key);
        }
        else if (KeyIs(key, "runtimeConfig"))
        {
            config.RuntimeConfig = Serialized(ref reader, Json.CniJsonContext.Default.RuntimeConfig, what, key);
        }
        else if (KeyIs(key, "args"))
        {
            config.Args = Serialized(ref reader, Json.CniJsonContext.Default.ConfigArgs, what, key);
        }
        else if (KeyIs(key, "cni.dev/valid-attachments"))
        {
            config.ValidAttachments = Serialized(ref reader, Json.CniJsonContext.Default.ListAttachment, what, key);
        }
        else if (KeyIs(key, "cni.dev/attachments"))
        {
            config.LegacyAttachments = Serialized(ref reader, Json.CniJsonContext.Default.ListAttachment, what, key);
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>A raw value (kept as JSON for whoever owns its schema), or null for JSON <c>null</c>.</summary>
    public static JsonElement? RawOrNull(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.Null ? null : Element(ref reader);

    /// <summary>
    /// The value's own bytes in <paramref name="json"/> (the reader's input), or null for JSON
    /// <c>null</c>. The reader checks the value's syntax as it skips it; no document is built (for
    /// prevResult, building one cost more than reading the result from the bytes).
    /// </summary>
    private static ReadOnlyMemory<byte>? RawBytesOrNull(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var start = checked((int)reader.TokenStartIndex);
        reader.Skip();
        return json[start..checked((int)reader.BytesConsumed)];
    }

    private static T? Serialized<T>(ref Utf8JsonReader reader, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, string what, string key)
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, type);
        }
        catch (JsonException error)
        {
            throw JsonDecoding.Describe(error, what, under: key);
        }
    }
}
