using System.Net;
using System.Text.Json.Nodes;

namespace Sluice.TestSupport.Cluster;

/// <summary>
/// What kubelet and the API server do around a pod sandbox, played against the fake API server:
/// the pod appears on its node (Pending), the runtime's ADD, then kubelet reports its addresses
/// (Running); on deletion the runtime's DEL, then the pod is gone.
/// </summary>
public static class ClusterKubelet
{
    /// <summary>Starts the pod <paramref name="podJson"/> describes on <paramref name="node"/>; null when its ADD failed (the pod stays Pending in the API).</summary>
    public static ClusterPod? TryStart(ClusterNode node, FakeKubeApi api, string podJson, string? conflist = null)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(api);
        var metadata = JsonNode.Parse(podJson)!["metadata"]!;
        api.PushPodEvent("ADDED", podJson);
        var pod = node.TryAddPod((string)metadata["name"]!, (string)metadata["namespace"]!, (string?)metadata["uid"], conflist, out _);
        if (pod is not null)
        {
            api.PushPodEvent("MODIFIED", Running(podJson, pod.V4, pod.V6));
        }

        return pod;
    }

    public static ClusterPod Start(ClusterNode node, FakeKubeApi api, string podJson, string? conflist = null) =>
        TryStart(node, api, podJson, conflist) ?? throw new ClusterException($"{node?.Name}: the ADD of {JsonNode.Parse(podJson)!["metadata"]!["name"]} failed");

    /// <summary>The pod marked for deletion (terminating), the runtime's DEL, the namespace removed, then the pod gone from the API.</summary>
    public static void Stop(ClusterNode node, FakeKubeApi api, ClusterPod pod, string podJson)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(pod);
        api.PushPodEvent("MODIFIED", Terminating(Running(podJson, pod.V4, pod.V6)));
        node.RemovePod(pod);
        api.PushPodEvent("DELETED", podJson);
    }

    /// <summary><paramref name="podJson"/> as the API server serves it once deleted with a grace period: deletionTimestamp set.</summary>
    public static string Terminating(string podJson) => Edit(podJson, pod =>
        pod["metadata"]!["deletionTimestamp"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary><paramref name="podJson"/> as kubelet reports it once the sandbox is up: Running, with its addresses.</summary>
    public static string Running(string podJson, params IPAddress[] addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var pod = JsonNode.Parse(podJson)!.AsObject();
        var status = pod["status"] as JsonObject ?? [];
        pod["status"] = status;
        status["phase"] = "Running";
        status["podIP"] = addresses.FirstOrDefault()?.ToString();
        status["podIPs"] = new JsonArray(addresses.Select(a => (JsonNode?)new JsonObject { ["ip"] = a.ToString() }).ToArray());
        return pod.ToJsonString();
    }

    /// <summary><paramref name="podJson"/> with <paramref name="edit"/> applied.</summary>
    public static string Edit(string podJson, Action<JsonObject> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var pod = JsonNode.Parse(podJson)!.AsObject();
        edit(pod);
        return pod.ToJsonString();
    }
}
