using System.Text.Json;
using Sluice.Json;

namespace Sluice.Cni.Json;

/// <summary>Reads CNI input (configurations, results, sections of them) with a shape, turning every problem into a CNI error that names the field.</summary>
public static class CniJson
{
    /// <summary>
    /// The object <paramref name="json"/> holds; <paramref name="what"/> names the input in errors
    /// (<c>network configuration</c>, <c>prevResult</c>), <paramref name="path"/> the field it came
    /// from when it is part of a larger input (<c>ipam</c>). A value of the wrong type is a decoding
    /// failure (code 6), a number too large for its field an invalid configuration (code 7).
    /// </summary>
    public static T Read<T>(ReadOnlyMemory<byte> json, JsonCodec<T?> shape, string what, string path = "")
        where T : class
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (json.Span.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"{what} is empty");
        }

        // The reader checks UTF-8 only where it transcodes a string, and then throws
        // InvalidOperationException, not JsonException: check the whole input first.
        if (InvalidUtf8At(json.Span) is { } offset)
        {
            throw new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: not valid UTF-8 (byte {offset})");
        }

        try
        {
            return JsonText.Read(json, shape, path) ?? throw new CniException(CniErrorCode.DecodingFailure, $"{what} is null");
        }
        catch (JsonFieldException error)
        {
            throw Describe(error, what);
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

    /// <summary>The CNI error for a value a shape refused.</summary>
    public static CniException Describe(JsonFieldException error, string what)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.Problem == JsonFieldProblem.OutOfRange
            ? new CniException(CniErrorCode.InvalidNetworkConfig, $"{what}: {error.Message}", inner: error)
            : new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: {error.Message}", inner: error);
    }

    /// <summary>The CNI error for input that is not JSON, with the reader's position and without its type names.</summary>
    public static CniException Describe(JsonException error, string what)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut >= 0)
        {
            message = message[..cut];
        }

        return new CniException(CniErrorCode.DecodingFailure, $"cannot decode {what}: {message.TrimEnd('.')}", inner: error);
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
}
