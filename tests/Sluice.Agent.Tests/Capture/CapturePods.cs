using System.Text.Json.Nodes;
using Sluice.Agent.Capture;
using Sluice.Agent.Settings;
using Sluice.Kube.Models;
using Sluice.Redirect;

namespace Sluice.Agent.Tests.Capture;

/// <summary>Pods as the reconciler receives them (the API server's JSON through the agent's reader), and the plugin settings of an agent.</summary>
internal static class CapturePods
{
    public static Pod Read(string json) => PodJson.Read(json);

    /// <summary><paramref name="json"/> with <paramref name="edit"/> applied to its JSON tree.</summary>
    public static Pod Edited(string json, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return PodJson.Read(node.ToJsonString());
    }

    public static Pod Running(string json, params string[] addresses) => Edited(json, pod =>
    {
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["podIP"] = addresses.FirstOrDefault(),
            ["podIPs"] = new JsonArray(addresses.Select(a => (JsonNode?)new JsonObject { ["ip"] = a }).ToArray()),
        };
    });

    /// <summary>The settings sluice-redirect gets from the entry an agent with <paramref name="flags"/> installs.</summary>
    public static RedirectSettings Plugin(params string[] flags) =>
        PluginEntrySettings.For(AgentSettings.Parse(flags, new Dictionary<string, string>(), TextWriter.Null)!);

    public static JsonArray Statuses(params (string Name, string StateJson, string LastStateJson, int Restarts)[] statuses) =>
        new(statuses.Select(s => (JsonNode?)new JsonObject
        {
            ["name"] = s.Name,
            ["state"] = JsonNode.Parse(s.StateJson),
            ["lastState"] = JsonNode.Parse(s.LastStateJson),
            ["restartCount"] = s.Restarts,
            ["ready"] = false,
        }).ToArray());
}
