using System.Text;
using System.Text.Json;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    private const string Json = "application/json";

    /// <summary>POST /api/v1/namespaces/{ns}/events: records <paramref name="kubeEvent"/> (in its involved object's namespace).</summary>
    public async Task CreateEventAsync(KubeEvent kubeEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kubeEvent);
        var ns = kubeEvent.Metadata.Namespace ?? throw new ArgumentException("the event has no namespace", nameof(kubeEvent));
        var body = new RequestBody(HttpMethod.Post, Json, JsonSerializer.SerializeToUtf8Bytes(kubeEvent, KubeJsonContext.Default.KubeEvent));
        await WriteAsync($"api/v1/namespaces/{Escape(ns)}/events", new Operation("POST", $"event {ns}/{kubeEvent.Metadata.Name}"), body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// PATCH (JSON merge patch) /api/v1/namespaces/{ns}/pods/{name}: sets the labels given with a
    /// value and removes those given with null; returns the patched pod. The patch carries the
    /// pod's UID, which the API server refuses to change (409), so a same-named successor of the
    /// pod is never labelled.
    /// </summary>
    public async Task<Pod> PatchPodLabelsAsync(string ns, string name, string uid, IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(labels);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("metadata");
            writer.WriteString("uid", uid);
            writer.WriteStartObject("labels");
            foreach (var (key, value) in labels)
            {
                if (value is null)
                {
                    writer.WriteNull(key);
                }
                else
                {
                    writer.WriteString(key, value);
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return await PatchAsync($"api/v1/namespaces/{Escape(ns)}/pods/{Escape(name)}", $"pod {ns}/{name}", MergePatch, Encoding.UTF8.GetString(buffer.ToArray()), KubeJsonContext.Default.Pod, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// DELETE /api/v1/namespaces/{ns}/pods/{name} with the precondition that its UID is
    /// <paramref name="uid"/>: a same-named successor is never deleted. False when the pod is
    /// already gone or replaced (404, or 409 for the UID precondition).
    /// </summary>
    public async Task<bool> DeletePodAsync(string ns, string name, string uid, CancellationToken cancellationToken = default)
    {
        var options = $$$"""{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":{{{JsonSerializer.Serialize(uid, KubeJsonContext.Default.String)}}}}}""";
        var body = new RequestBody(HttpMethod.Delete, Json, Encoding.UTF8.GetBytes(options));
        try
        {
            await WriteAsync($"api/v1/namespaces/{Escape(ns)}/pods/{Escape(name)}", new Operation("DELETE", $"pod {ns}/{name}"), body, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException error) when (error.StatusCode is 404 or 409)
        {
            return false;
        }
    }

    private async Task WriteAsync(string path, Operation operation, RequestBody body, CancellationToken cancellationToken)
    {
        var (response, _) = await SendAsync(path, operation, body, streaming: false, cancellationToken).ConfigureAwait(false);
        response.Dispose();
    }
}
