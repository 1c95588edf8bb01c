using System.Text;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

public sealed partial class KubeClient
{
    /// <summary>The media type of an RFC 6902 JSON patch.</summary>
    public const string JsonPatch = "application/json-patch+json";

    /// <summary>The media type of an RFC 7386 JSON merge patch (objects merged key by key, null removes).</summary>
    public const string MergePatch = "application/merge-patch+json";

    /// <summary>The media type of a strategic merge patch (lists of objects merged by their key, e.g. containers by name).</summary>
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    /// <summary>GET /apis/apps/v1/namespaces/{ns}/daemonsets/{name}.</summary>
    public Task<DaemonSet> GetDaemonSetAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        GetAsync(DaemonSetPath(ns, name), $"daemonset {ns}/{name}", KubeJsonContext.Default.DaemonSet, cancellationToken);

    /// <summary>PATCH /apis/apps/v1/namespaces/{ns}/daemonsets/{name} with a strategic merge patch; returns the patched DaemonSet.</summary>
    public Task<DaemonSet> PatchDaemonSetAsync(string ns, string name, string strategicMergePatch, CancellationToken cancellationToken = default) =>
        PatchAsync(DaemonSetPath(ns, name), $"daemonset {ns}/{name}", StrategicMergePatch, strategicMergePatch, KubeJsonContext.Default.DaemonSet, cancellationToken);

    /// <summary>
    /// PATCH /api/v1/nodes/{name} with an RFC 6902 JSON patch; returns the patched node. A failed
    /// <c>test</c> operation is a <see cref="KubeApiException"/> with status 422 (the node changed: read it again).
    /// </summary>
    public Task<Node> PatchNodeAsync(string name, string jsonPatch, CancellationToken cancellationToken = default) =>
        PatchAsync($"api/v1/nodes/{Escape(name)}", $"node {name}", JsonPatch, jsonPatch, KubeJsonContext.Default.Node, cancellationToken);

    private static string DaemonSetPath(string ns, string name) => $"apis/apps/v1/namespaces/{Escape(ns)}/daemonsets/{Escape(name)}";

    private async Task<T> PatchAsync<T>(string path, string description, string contentType, string patch, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var operation = new Operation("PATCH", description);
        var body = new RequestBody(HttpMethod.Patch, contentType, Encoding.UTF8.GetBytes(patch));
        var (response, attempts) = await SendAsync(path, operation, body, streaming: false, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Decode(json, text => System.Text.Json.JsonSerializer.Deserialize(text, typeInfo) ?? throw new System.Text.Json.JsonException("the body is null"), operation, attempts);
        }
    }
}
