using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>
    /// GET of a collection, one request without <c>limit</c> (from Kubernetes 1.31 the API server
    /// answers it from its watch cache; with <c>limit</c> it would go to etcd), decoded as it arrives
    /// one item at a time (<see cref="StreamedList{T}"/>): at 5,000 nodes the body is over 8 MB,
    /// never held whole. The same retries as any GET until the headers arrive; the body must then
    /// arrive within the client's total timeout.
    /// </summary>
    private async Task<KubeList<T>> ListAsync<T>(string path, string description, JsonTypeInfo<T> itemTypeInfo, CancellationToken cancellationToken)
    {
        var operation = new Operation("GET", description);
        var (response, attempts) = await SendAsync(path, operation, streaming: true, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(_options.TotalTimeout);
            try
            {
                var body = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
                await using (body.ConfigureAwait(false))
                {
                    return await StreamedList<T>.ReadAsync(body, itemTypeInfo, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (ListFormatException e)
            {
                throw Failure(operation, 200, null, attempts, $"the answer is not a valid {typeof(T).Name} list: {e.Message}", e);
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
