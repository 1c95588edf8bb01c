using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sluice.Cni.Json;

/// <summary>Decodes JSON into typed objects, turning decoder errors into CNI errors that name the field.</summary>
public static class JsonDecoding
{
    private static readonly (string Type, string Description)[] TypeDescriptions =
    [
        ("System.Collections.Generic.List", "an array"), ("System.Collections.Generic.Dictionary", "an object"),
        ("System.Int32", "an integer"), ("System.Int64", "an integer"), ("System.UInt16", "an integer from 0 to 65535"),
        ("System.UInt32", "a non-negative integer"), ("System.Byte", "an integer from 0 to 255"),
        ("System.Boolean", "true or false"), ("System.String", "a string"), ("System.Double", "a number"),
        ("System.Text.Json.JsonElement", "a JSON value"), ("Sluice.", "an object"),
    ];

    /// <summary>Parses <paramref name="json"/> as <typeparamref name="T"/>; <paramref name="what"/> names the input in errors.</summary>
    public static T Decode<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, string what)
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{what} is empty");
        }

        // The reader validates UTF-8 only where it transcodes a string, and then throws
        // InvalidOperationException, not JsonException: check the whole input first.
        if (InvalidUtf8At(json) is { } offset)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: not valid UTF-8 (byte {offset})");
        }

        try
        {
            return JsonSerializer.Deserialize(json, typeInfo)
                   ?? throw new CniException(CniErrorCode.DecodingFailure, $"{what} is null");
        }
        catch (JsonException error)
        {
            throw Describe(error, what);
        }
        catch (InvalidOperationException error)
        {
            // A string that cannot be transcoded (an escaped lone surrogate, for one).
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: {error.Message}", inner: error);
        }
    }

    /// <summary>The offset of the first byte that is not valid UTF-8, or null when all of it is.</summary>
    public static int? InvalidUtf8At(ReadOnlySpan<byte> text)
    {
        if (System.Text.Unicode.Utf8.IsValid(text))
        {
            return null;
        }

        var offset = 0;
        while (System.Text.Rune.DecodeFromUtf8(text[offset..], out _, out var consumed) == System.Buffers.OperationStatus.Done)
        {
            offset += consumed;
        }

        return offset;
    }

    public static T Decode<T>(JsonElement element, JsonTypeInfo<T> typeInfo, string what)
    {
        try
        {
            return element.Deserialize(typeInfo)
                   ?? throw new CniException(CniErrorCode.DecodingFailure, $"{what} is null");
        }
        catch (JsonException error)
        {
            throw Describe(error, what);
        }
        catch (InvalidOperationException error)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: {error.Message}", inner: error);
        }
    }

    /// <summary>A decoding-failure CNI error with the JSON path of the bad field and a plain description.</summary>
    public static CniException Describe(JsonException error, string what) => Describe(error, what, under: "");

    /// <summary>As <see cref="Describe(JsonException, string)"/> for an error in the value of field <paramref name="under"/>, read on its own.</summary>
    public static CniException Describe(JsonException error, string what, string under)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        const string converted = "could not be converted to ";
        var target = message.IndexOf(converted, StringComparison.Ordinal) is var at and >= 0 ? message[(at + converted.Length)..] : "";
        target = target.Replace("System.Nullable`1[", "", StringComparison.Ordinal);
        foreach (var (type, description) in TypeDescriptions)
        {
            if (target.StartsWith(type, StringComparison.Ordinal))
            {
                message = $"expected {description}";
                break;
            }
        }

        var inner = string.IsNullOrEmpty(error.Path) || error.Path == "$" ? "" : error.Path.StartsWith("$.", StringComparison.Ordinal) ? error.Path[2..] : error.Path[1..];
        var path = (under, inner) switch
        {
            ("", "") => null,
            ("", _) => inner,
            (_, "") => under,
            _ => inner.StartsWith('[') ? under + inner : $"{under}.{inner}",
        };
        var location = path is null ? "" : $" field '{path}'";
        return new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}:{location} {message.TrimEnd('.')}", inner: error);
    }
}
