using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Sluice.TestSupport;

/// <summary>
/// PATCH of nodes, pods and DaemonSets as kube-apiserver answers it: the three patch media types
/// (JSON patch, merge patch, strategic merge patch), 415 for any other, 400 for a patch that is not
/// one, 422 for one that does not apply (a failed <c>test</c>), 404 for a missing object, 409 for
/// one that would change <c>metadata.uid</c> (the UID in a patch is a precondition); the patched
/// object back with a new resourceVersion, and <c>metadata.generation</c> bumped when the spec
/// changed. A patched pod goes out to the pod watches as MODIFIED. DaemonSets are served at apps/v1; there is no controller, so a test reports the
/// rollout itself with <see cref="SetDaemonSetStatus"/>.
/// </summary>
public sealed partial class FakeKubeApi
{
    private readonly ConcurrentDictionary<string, string> _daemonSets = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Path, string ContentType, string Body)> _patches = new();

    /// <summary>Every PATCH that arrived: its path, media type and body, in arrival order.</summary>
    public IReadOnlyList<(string Path, string ContentType, string Body)> Patches => [.. _patches];

    /// <summary>Serves <paramref name="json"/> (a DaemonSet as the API server would send it) at its namespace and name.</summary>
    public void SetDaemonSet(string ns, string name, string json) => _daemonSets[$"{ns}/{name}"] = json;

    /// <summary>The DaemonSet as served now (after patches), or null.</summary>
    public string? DaemonSet(string ns, string name) => _daemonSets.TryGetValue($"{ns}/{name}", out var json) ? json : null;

    /// <summary>The node as served now (after patches), or null.</summary>
    public string? Node(string name) => _nodes.TryGetValue(name, out var json) ? json : null;

    /// <summary>Writes a DaemonSet's status as its controller would: the generation it acted on and its pod counts.</summary>
    public void SetDaemonSetStatus(string ns, string name, long observedGeneration, int desired, int updated, int available)
    {
        var key = $"{ns}/{name}";
        var daemonSet = JsonNode.Parse(_daemonSets[key])!;
        daemonSet["status"] = new JsonObject
        {
            ["observedGeneration"] = observedGeneration,
            ["desiredNumberScheduled"] = desired,
            ["currentNumberScheduled"] = desired,
            ["updatedNumberScheduled"] = updated,
            ["numberAvailable"] = available,
            ["numberReady"] = available,
            ["numberMisscheduled"] = 0,
        };
        _daemonSets[key] = daemonSet.ToJsonString();
    }

    private async Task PatchAsync(HttpContext context, string path, ConcurrentDictionary<string, string> store, string key, string resource, string name, Action<string>? patched = null)
    {
        var contentType = context.Request.ContentType?.Split(';')[0].Trim() ?? "";
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        int code;
        string json;
        lock (_podWriteLock)
        {
            // One write at a time (a pod's deletion too), and the watch event in the order of the writes.
            (code, json) = Apply(store, key, resource, name, contentType, body);
            if (code == 200)
            {
                patched?.Invoke(json);
            }
        }

        // Recorded once applied and before the answer, so a test that sees it also sees its effect.
        _patches.Enqueue((path, contentType, body));
        await WriteJsonAsync(context, code, json);
    }

    /// <summary>The answer's status and body: the patched object, or a Status saying why not.</summary>
    private (int Code, string Json) Apply(ConcurrentDictionary<string, string> store, string key, string resource, string name, string contentType, string body)
    {
        if (!store.TryGetValue(key, out var current))
        {
            return (404, StatusJson(404, $"{resource} \"{name}\" not found", "NotFound"));
        }

        JsonNode patched;
        try
        {
            var document = JsonNode.Parse(current)!;
            patched = contentType switch
            {
                "application/json-patch+json" => JsonPatch.Apply(document, body),
                "application/merge-patch+json" => MergePatch.Apply(document, body, strategic: false),
                "application/strategic-merge-patch+json" => MergePatch.Apply(document, body, strategic: true),
                _ => null!,
            };
        }
        catch (FormatException error)
        {
            return (400, StatusJson(400, error.Message, "BadRequest"));
        }
        catch (InvalidOperationException error)
        {
            return (422, StatusJson(422, error.Message, "Invalid"));
        }

        if (patched is null)
        {
            return (415, StatusJson(415, "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json", "UnsupportedMediaType"));
        }

        var before = JsonNode.Parse(current)!;
        if ((string?)patched["metadata"]?["uid"] is var uid && uid != (string?)before["metadata"]?["uid"])
        {
            return (409, StatusJson(409, $"Operation cannot be fulfilled on {resource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {before["metadata"]?["uid"]}", "Conflict"));
        }

        patched["metadata"]!["resourceVersion"] = NextResourceVersion();
        if (!JsonNode.DeepEquals(before["spec"], patched["spec"]))
        {
            var generation = before["metadata"]?["generation"]?.GetValue<long>() ?? 1;
            patched["metadata"]!["generation"] = generation + 1;
        }

        var json = patched.ToJsonString();
        store[key] = json;
        return (200, json);
    }

    private async Task<bool> RoutePatchAsync(HttpContext context, string path, string[] parts)
    {
        switch (parts)
        {
            case ["api", "v1", "nodes", var name]:
                await PatchAsync(context, path, _nodes, name, "nodes", name);
                return true;
            case ["api", "v1", "namespaces", var ns, "pods", var name]:
                await PatchAsync(context, path, _pods, $"{ns}/{name}", "pods", name, pod =>
                    _podFeed.Push(long.Parse((string)JsonNode.Parse(pod)!["metadata"]!["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture), EventLine("MODIFIED", pod), PodNodeName(pod)));
                return true;
            case ["apis", "apps", "v1", "namespaces", var ns, "daemonsets", var name]:
                await PatchAsync(context, path, _daemonSets, $"{ns}/{name}", "daemonsets.apps", name);
                return true;
            default:
                return false;
        }
    }
}
