using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>Items per page of a list, client-go's pager's default.</summary>
    public const int ListPageSize = 500;

    /// <summary>
    /// GET of a collection in pages of <see cref="ListPageSize"/> (<c>limit</c> and <c>continue</c>,
    /// as client-go's pager asks), gathered into one list: at 5,000 nodes the whole list is over
    /// 8 MB of JSON, which neither the API server nor this process then holds at once. Every page
    /// is the same snapshot (the server's continue token pins its resource version), so the list's
    /// version is the last page's. A continue token the server no longer knows (410: the list took
    /// longer than etcd keeps its history) makes it ask once more for the whole list in one answer,
    /// as client-go's pager falls back.
    /// </summary>
    private async Task<KubeList<T>> ListAsync<T>(string path, string description, JsonTypeInfo<KubeList<T>> typeInfo, CancellationToken cancellationToken)
    {
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var list = await ListPageAsync($"{path}{separator}limit={ListPageSize}", description, typeInfo, cancellationToken).ConfigureAwait(false);
        var pages = 1;
        while (list.Metadata.Continue is { Length: > 0 } token)
        {
            KubeList<T> page;
            try
            {
                page = await ListPageAsync($"{path}{separator}limit={ListPageSize}&continue={Escape(token)}", $"{description} (page {pages + 1})", typeInfo, cancellationToken).ConfigureAwait(false);
            }
            catch (KubeApiException error) when (error.IsGone)
            {
                return await ListPageAsync(path, description, typeInfo, cancellationToken).ConfigureAwait(false);
            }

            if (page.Metadata.Continue == token)
            {
                throw Failure(new Operation("GET", description), 200, null, 1, $"page {pages + 1} gives the continue token it was asked with: the list does not end", malformed: true);
            }

            list.Items.AddRange(page.Items);
            list.Metadata = page.Metadata;
            pages++;
        }

        return list;
    }

    /// <summary>
    /// One GET of a collection (or a page of it), decoded from its bytes, which are held once (not
    /// also as a UTF-16 string and again as UTF-8 for the reader). Not decoded as it arrives: the
    /// shapes' converters need each object whole, and the streaming reader split them at buffer
    /// boundaries. The same retries as any GET until the headers arrive; the body must then arrive
    /// within the client's total timeout.
    /// </summary>
    private async Task<KubeList<T>> ListPageAsync<T>(string path, string description, JsonTypeInfo<KubeList<T>> typeInfo, CancellationToken cancellationToken)
    {
        var operation = new Operation("GET", description);
        var (response, attempts) = await SendAsync(path, operation, streaming: true, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.TotalTimeout);
            try
            {
                var body = await response.Content.ReadAsByteArrayAsync(deadline.Token).ConfigureAwait(false);
                return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("the body is null");
            }
            catch (JsonException e)
            {
                throw Failure(operation, 200, null, attempts, $"the answer is not a valid {typeof(T).Name} list: {ErrorWords.JsonProblem(e)}", e);
            }
            catch (Sluice.Json.JsonFieldException e)
            {
                throw Failure(operation, 200, null, attempts, $"the answer is not a valid {typeof(T).Name} list: {e.Message}", e);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failure(operation, null, null, attempts, $"the answer did not arrive whole within {Seconds(_options.TotalTimeout)}", e);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw Failure(operation, null, null, attempts, "the connection broke while the answer arrived", e);
            }
        }
    }
}
