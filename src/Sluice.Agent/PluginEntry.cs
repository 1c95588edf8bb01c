using System.Text.Json.Nodes;
using Sluice.Agent.Settings;
using Sluice.CommandLine;

namespace Sluice.Agent;

/// <summary>The sluice-redirect entry the agent inserts: the operator's, or one built from the settings.</summary>
public static class PluginEntry
{
    /// <exception cref="CommandLineException">The operator's entry is not a sluice-redirect entry.</exception>
    public static JsonObject For(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PluginConfig is { } text)
        {
            var given = JsonNode.Parse(text)!.AsObject();
            return given["type"]?.GetValue<string>() == Install.ChainedConfList.PluginType
                ? given
                : throw new CommandLineException($"PLUGIN_CONFIG: the entry's \"type\" must be \"{Install.ChainedConfList.PluginType}\"");
        }

        var kubernetes = new JsonObject
        {
            ["kubeconfig"] = settings.PluginKubeconfig,
            ["agentSocket"] = settings.PodSocket,
            ["excludeNamespaces"] = new JsonArray(settings.ExcludeNamespaces.Select(n => (JsonNode?)JsonValue.Create(n)).ToArray()),
        };
        if (settings.NodeName is { } node)
        {
            kubernetes["nodeName"] = node;
        }

        return new JsonObject
        {
            ["type"] = Install.ChainedConfList.PluginType,
            ["profile"] = settings.Profile,
            ["kubernetes"] = kubernetes,
            ["logLevel"] = settings.LogLevel == "info" ? "warn" : settings.LogLevel,
            ["logSocket"] = settings.LogSocket,
        };
    }
}
