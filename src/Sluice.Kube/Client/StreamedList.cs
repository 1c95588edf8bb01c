using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

/// <summary>
/// Decodes a Kubernetes list (<c>{"kind":…,"metadata":{…},"items":[…]}</c>) from its stream one
/// item at a time, so that the body is never held whole: at 5,000 nodes it is over 8 MB of JSON,
/// and a server that sends it chunked (length unknown) would have it buffered in arrays that grow
/// by doubling. The buffer holds what has arrived and not been decoded yet, at least one whole
/// item: every value is decoded from one contiguous span once <see cref="Utf8JsonReader.TrySkip"/>
/// shows it is all there, so the shapes' converters never see a value split between reads.
/// </summary>
internal sealed class StreamedList<T>
{
    private const int FirstBufferSize = 64 * 1024;

    /// <summary>The largest single item (or metadata) accepted: a node with a long image list is well under it.</summary>
    private const int MaxValueSize = 64 * 1024 * 1024;

    private readonly JsonTypeInfo<T> _item;
    private readonly KubeList<T> _list = new();
    private JsonReaderState _state;
    private Phase _phase = Phase.Start;

    private StreamedList(JsonTypeInfo<T> item) => _item = item;

    private enum Phase
    {
        /// <summary>Before the list's opening brace.</summary>
        Start,

        /// <summary>Among the list's own keys.</summary>
        Keys,

        /// <summary>Inside <c>items</c>.</summary>
        Items,

        /// <summary>After the list's closing brace.</summary>
        End,
    }

    /// <summary>The list in <paramref name="stream"/>, each item decoded with <paramref name="item"/>; a JsonException when the body is not one whole list.</summary>
    public static async Task<KubeList<T>> ReadAsync(Stream stream, JsonTypeInfo<T> item, CancellationToken cancellationToken)
    {
        var decoder = new StreamedList<T>(item);
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
        try
        {
            var filled = 0;
            var final = false;
            var fillFirst = false;
            while (decoder._phase != Phase.End)
            {
                if (final)
                {
                    // The reader, told the data is final, refuses an unfinished value itself; this guards the loop.
                    throw new ListFormatException("the answer ends inside the list");
                }

                if (filled == buffer.Length)
                {
                    buffer = Grow(buffer);
                }

                var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                filled += read;
                final = read == 0;

                // A unit that did not fit is looked at again only once the buffer is full (or the body
                // ended), not after every read: a large item is scanned a few times, not once per read.
                if (fillFirst && !final && filled < buffer.Length)
                {
                    continue;
                }

                var consumed = decoder.Decode(buffer.AsSpan(0, filled), final);
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                fillFirst = consumed == 0;
            }

            // Nothing but white space may follow, as when the whole body is decoded at once.
            while (true)
            {
                if (buffer.AsSpan(0, filled).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
                {
                    throw new ListFormatException("the answer goes on after the list");
                }

                filled = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (filled == 0)
                {
                    return decoder._list;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] Grow(byte[] buffer)
    {
        if (buffer.Length >= MaxValueSize)
        {
            throw new ListFormatException($"one value of the list is over {MaxValueSize / (1024 * 1024)} MiB");
        }

        var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.CopyTo(larger, 0);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    /// <summary>
    /// Decodes every whole unit in <paramref name="data"/> (a token, or a key with its whole value,
    /// or an item) and returns how many bytes that took; the rest waits for more data.
    /// </summary>
    private int Decode(ReadOnlySpan<byte> data, bool final)
    {
        var reader = new Utf8JsonReader(data, final, _state);
        while (_phase != Phase.End)
        {
            // Where the unit starts: an incomplete one is read again from here once more has arrived.
            var before = reader;
            if (!DecodeUnit(ref reader))
            {
                reader = before;
                break;
            }
        }

        _state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    /// <summary>One unit; false when <paramref name="reader"/> ran out of data before its end.</summary>
    private bool DecodeUnit(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (_phase)
        {
            case Phase.Start:
                _phase = reader.TokenType == JsonTokenType.StartObject ? Phase.Keys : throw new ListFormatException("the answer is not a JSON object");
                return true;
            case Phase.Keys when reader.TokenType == JsonTokenType.EndObject:
                _phase = Phase.End;
                return true;
            case Phase.Keys:
                return DecodeKey(ref reader);
            case Phase.Items when reader.TokenType == JsonTokenType.EndArray:
                _phase = Phase.Keys;
                return true;
            default:
                if (!Whole(reader))
                {
                    return false;
                }

                _list.Items.Add(DecodeItem(ref reader));
                return true;
        }
    }

    /// <summary>The item at the reader, whole in the buffer; a JSON error says which item (its position counts from the item's start).</summary>
    private T DecodeItem(ref Utf8JsonReader reader)
    {
        try
        {
            return JsonSerializer.Deserialize(ref reader, _item) ?? throw new ListFormatException($"item {_list.Items.Count} of the list is null");
        }
        catch (JsonException error) when (error is not ListFormatException)
        {
            throw new ListFormatException($"item {_list.Items.Count} of the list: {Errors.ErrorWords.JsonProblem(error)}", error);
        }
    }

    /// <summary>A key of the list and its value: metadata decoded, items entered, anything else skipped.</summary>
    private bool DecodeKey(ref Utf8JsonReader reader)
    {
        var isItems = reader.ValueTextEquals("items"u8);
        var isMetadata = reader.ValueTextEquals("metadata"u8);
        if (!reader.Read())
        {
            return false;
        }

        if (isItems && reader.TokenType == JsonTokenType.StartArray)
        {
            _phase = Phase.Items;
            return true;
        }

        if (!Whole(reader))
        {
            return false;
        }

        if (isMetadata && reader.TokenType == JsonTokenType.StartObject)
        {
            _list.Metadata = JsonSerializer.Deserialize(ref reader, KubeJsonContext.Default.ListMeta) ?? new ListMeta();
        }
        else if (isItems && reader.TokenType != JsonTokenType.Null)
        {
            throw new ListFormatException("the list's items are not an array");
        }
        else
        {
            reader.TrySkip();
        }

        return true;
    }

    /// <summary>Whether the value starting at the reader's token has arrived whole.</summary>
    private static bool Whole(Utf8JsonReader reader) => reader.TrySkip();
}

/// <summary>A list body that is not one whole list, said in Sluice's words (the runtime's JSON messages are dropped in NativeAOT).</summary>
internal sealed class ListFormatException(string message, Exception? inner = null) : JsonException(message, inner);
