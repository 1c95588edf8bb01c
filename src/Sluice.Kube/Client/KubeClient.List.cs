using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// GET of a collection, decoded from its bytes: a list of 5,000 nodes is over 10 MB of JSON,
    /// which is held once (not also as a UTF-16 string and again as UTF-8 for the reader). Not
    /// decoded as it arrives: the shapes' converters need each object whole, and the streaming
    /// reader split them at buffer boundaries. The same retries as any GET until the headers
    /// arrive; the body must then arrive within the client's total timeout.
    /// </summary>
    private async Task<KubeList<T>> ListAsync<T>(string path, string description, JsonTypeInfo<KubeList<T>> typeInfo, CancellationToken cancellationToken)
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
