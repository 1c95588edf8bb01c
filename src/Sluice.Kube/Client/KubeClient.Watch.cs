using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// Opens a watch (with the usual retries until the response headers arrive) and yields its
    /// newline-delimited events in order. An ERROR event becomes a <see cref="KubeApiException"/>
    /// carrying the Status code (410 when the resource version is too old); a stream that
    /// breaks becomes one without a code. A stream the server ends cleanly just ends.
    /// </summary>
    private async IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(
        string path, string description, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var operation = new Operation("WATCH", description);
        var (response, attempts) = await SendAsync(path, operation, streaming: true, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            while (await ReadLineAsync(reader, operation, attempts, cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    yield return ParseEvent(line, typeInfo, operation, attempts);
                }
            }
        }
    }

    private async Task<string?> ReadLineAsync(StreamReader reader, Operation operation, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw Failure(operation, null, null, attempts, "the watch stream broke: the connection was closed or reset", e);
        }
    }

    private WatchEvent<T> ParseEvent<T>(string line, JsonTypeInfo<T> typeInfo, Operation operation, int attempts)
    {
        RawWatchEvent? raw;
        try
        {
            raw = JsonSerializer.Deserialize(line, KubeJsonContext.Default.RawWatchEvent);
        }
        catch (JsonException e)
        {
            throw Failure(operation, null, null, attempts, $"a watch event is not valid JSON: {ErrorWords.JsonProblem(e)}", e, malformed: true);
        }

        if (raw?.Type is not { } type || raw.Object.ValueKind != JsonValueKind.Object)
        {
            throw Failure(operation, null, null, attempts, "a watch event has no type or object", malformed: true);
        }

        if (type == WatchEventTypes.Error)
        {
            var status = raw.Object.Deserialize(KubeJsonContext.Default.Status);
            throw Failure(operation, status?.Code, status?.Reason, attempts, $"the server ended the watch: {status?.Code} {status?.Reason}: {status?.Message}");
        }

        T? item;
        try
        {
            item = raw.Object.Deserialize(typeInfo);
        }
        catch (Exception e) when (e is JsonException or Sluice.Json.JsonFieldException)
        {
            throw Failure(operation, null, null, attempts, $"a watch event's object is not a valid {typeof(T).Name}: {e.Message}", e, malformed: true);
        }

        return new WatchEvent<T>(type, item ?? throw Failure(operation, null, null, attempts, "a watch event has a null object", malformed: true));
    }
}
