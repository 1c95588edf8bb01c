using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Sluice.TestSupport;

/// <summary>
/// The writes the agent makes, served as kube-apiserver serves them: POST of a core/v1 Event
/// (201, the event's namespace must be its object's), DELETE of a pod with DeleteOptions
/// preconditions (409 when the UID differs, 404 when it is gone); a deleted pod goes out to the
/// watches as DELETED. PATCH, of pods too, is in the Patch part.
/// </summary>
public sealed partial class FakeKubeApi
{
    private readonly ConcurrentQueue<JsonObject> _events = new();
    private readonly ConcurrentQueue<string> _deletions = new();
    private readonly Lock _podWriteLock = new();

    /// <summary>Every event created so far, in arrival order.</summary>
    public IReadOnlyList<JsonObject> Events => [.. _events];

    /// <summary>Events about one pod (by namespace and name).</summary>
    public IReadOnlyList<JsonObject> EventsFor(string ns, string name) =>
        Events.Where(e => (string?)e["involvedObject"]?["namespace"] == ns && (string?)e["involvedObject"]?["name"] == name).ToList();

    /// <summary>Pods deleted through the API, as "namespace/name uid".</summary>
    public IReadOnlyList<string> Deletions => [.. _deletions];

    /// <summary>The pod as served now (after patches), or null.</summary>
    public JsonObject? Pod(string ns, string name) =>
        _pods.TryGetValue($"{ns}/{name}", out var json) ? JsonNode.Parse(json)!.AsObject() : null;

    private async Task<bool> RouteWriteAsync(HttpContext context, string[] parts)
    {
        switch (context.Request.Method, parts)
        {
            case ("POST", ["api", "v1", "namespaces", var ns, "events"]):
                await CreateEventAsync(context, ns);
                return true;
            case ("POST", ["api", "v1", "namespaces", var ns, "serviceaccounts", var name, "token"]):
                await RequestTokenAsync(context, ns, name);
                return true;
            case ("DELETE", ["api", "v1", "namespaces", var ns, "pods", var name]):
                await DeletePodAsync(context, ns, name);
                return true;
            case ("GET", _):
                return false;
            default:
                await WriteStatusAsync(context, 405, $"the server does not allow this method on the requested resource", "MethodNotAllowed");
                return true;
        }
    }

    private async Task CreateEventAsync(HttpContext context, string ns)
    {
        if (await ReadBodyAsync(context) is not JsonObject kubeEvent)
        {
            await WriteStatusAsync(context, 400, "the body is not a JSON object", "BadRequest");
            return;
        }

        if ((string?)kubeEvent["kind"] != "Event" || (string?)kubeEvent["metadata"]?["name"] is not { Length: > 0 })
        {
            await WriteStatusAsync(context, 422, "Event is invalid: kind must be Event and metadata.name is required", "Invalid");
            return;
        }

        if ((string?)kubeEvent["involvedObject"]?["namespace"] != ns || (string?)kubeEvent["metadata"]?["namespace"] is { } own && own != ns)
        {
            await WriteStatusAsync(context, 422, $"Event is invalid: involvedObject.namespace: Invalid value: does not match event.namespace {ns}", "Invalid");
            return;
        }

        kubeEvent["metadata"]!["resourceVersion"] = NextResourceVersion();
        _events.Enqueue(kubeEvent);
        await WriteJsonAsync(context, 201, kubeEvent.ToJsonString());
    }

    private async Task DeletePodAsync(HttpContext context, string ns, string name)
    {
        var options = await ReadBodyAsync(context) as JsonObject;
        var wanted = (string?)options?["preconditions"]?["uid"];
        string? deleted = null;
        string? conflict = null;
        lock (_podWriteLock)
        {
            if (_pods.TryGetValue($"{ns}/{name}", out var current))
            {
                var uid = (string?)JsonNode.Parse(current)!["metadata"]?["uid"];
                if (wanted is not null && wanted != uid)
                {
                    conflict = $"Operation cannot be fulfilled on pods \"{name}\": Precondition failed: UID in precondition: {wanted}, UID in object meta: {uid}";
                }
                else
                {
                    deleted = current;
                    PushPodEvent("DELETED", current);
                    _deletions.Enqueue($"{ns}/{name} {uid}");
                }
            }
        }

        await (deleted is not null ? WriteJsonAsync(context, 200, deleted)
            : conflict is not null ? WriteStatusAsync(context, 409, conflict, "Conflict")
            : WriteStatusAsync(context, 404, $"pods \"{name}\" not found", "NotFound"));
    }

    private static async Task<JsonNode?> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
