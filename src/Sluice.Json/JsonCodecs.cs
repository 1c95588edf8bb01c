using System.Text.Json;

namespace Sluice.Json;

/// <summary>The codecs shapes are built from: scalars here, collections and raw values in the other parts.</summary>
public static partial class JsonCodecs
{
    private static readonly System.Buffers.SearchValues<char> Digits = System.Buffers.SearchValues.Create("0123456789");

    public static JsonCodec<string?> Text => field ??= new TextCodec();

    /// <summary>A string that must be there (list items, map values): JSON <c>null</c> is refused.</summary>
    public static JsonCodec<string> RequiredText => field ??= new RequiredTextCodec();

    public static JsonCodec<int?> Int32 => field ??= new Int32Codec();

    public static JsonCodec<long?> Int64 => field ??= new Int64Codec();

    public static JsonCodec<bool?> Boolean => field ??= new BooleanCodec();

    /// <summary>
    /// A list in the annotations' syntax, written either way: a string (<c>"80,443"</c>, <c>"*"</c>),
    /// a number, or an array of strings and numbers (joined with commas). Read as the text.
    /// </summary>
    public static JsonCodec<string?> TextOrList => field ??= new TextOrListCodec();

    private sealed class TextCodec : JsonCodec<string?>
    {
        public override string Expected => "a string";

        public override string? Read(ref Utf8JsonReader reader, in JsonAt at) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Null => null,
            _ => throw WrongType(at),
        };

        public override void Write(Utf8JsonWriter writer, string? value)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }
    }

    private sealed class RequiredTextCodec : JsonCodec<string>
    {
        public override string Expected => "a string";

        public override string Read(ref Utf8JsonReader reader, in JsonAt at) =>
            reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw WrongType(at);

        public override void Write(Utf8JsonWriter writer, string value) => writer.WriteStringValue(value);
    }

    private sealed class Int32Codec : JsonCodec<int?>
    {
        public override string Expected => "an integer";

        public override int? Read(ref Utf8JsonReader reader, in JsonAt at) => reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt32(out var value) => value,
            JsonTokenType.Number => throw Number.Refuse(ref reader, at, Expected, "from -2147483648 to 2147483647"),
            JsonTokenType.Null => null,
            _ => throw WrongType(at),
        };

        public override void Write(Utf8JsonWriter writer, int? value)
        {
            if (value is { } number)
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class Int64Codec : JsonCodec<long?>
    {
        public override string Expected => "an integer";

        public override long? Read(ref Utf8JsonReader reader, in JsonAt at) => reader.TokenType switch
        {
            JsonTokenType.Number when reader.TryGetInt64(out var value) => value,
            JsonTokenType.Number => throw Number.Refuse(ref reader, at, Expected, "from -9223372036854775808 to 9223372036854775807"),
            JsonTokenType.Null => null,
            _ => throw WrongType(at),
        };

        public override void Write(Utf8JsonWriter writer, long? value)
        {
            if (value is { } number)
            {
                writer.WriteNumberValue(number);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class BooleanCodec : JsonCodec<bool?>
    {
        public override string Expected => "true or false";

        public override bool? Read(ref Utf8JsonReader reader, in JsonAt at) => reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw WrongType(at),
        };

        public override void Write(Utf8JsonWriter writer, bool? value)
        {
            if (value is { } flag)
            {
                writer.WriteBooleanValue(flag);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class TextOrListCodec : JsonCodec<string?>
    {
        public override string Expected => "a string, a number or a list of them";

        public override string? Read(ref Utf8JsonReader reader, in JsonAt at)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    return System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                case JsonTokenType.StartArray:
                    var path = at.Path;
                    var items = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        items.Add(reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString()!,
                            JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
                            _ => throw new JsonFieldException(at.Item(path, items.Count).Path, "a string or a number"),
                        });
                    }

                    return string.Join(',', items);
                default:
                    throw WrongType(at);
            }
        }

        public override void Write(Utf8JsonWriter writer, string? value)
        {
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(value);
            }
        }
    }

    /// <summary>Tells a number too large for the field (the input is invalid) from one that is not an integer at all (it cannot be decoded).</summary>
    private static class Number
    {
        public static JsonFieldException Refuse(ref Utf8JsonReader reader, in JsonAt at, string expected, string range)
        {
            var text = System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
            var integral = text.AsSpan().TrimStart('-').IndexOfAnyExcept(Digits) < 0;
            return integral
                ? new JsonFieldException(at.Path, $"{expected} {range}", JsonFieldProblem.OutOfRange, text)
                : new JsonFieldException(at.Path, expected);
        }
    }
}
