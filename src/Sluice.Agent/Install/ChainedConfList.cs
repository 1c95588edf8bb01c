using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Agent.Install;

/// <summary>
/// The chained-mode edit of the primary plugin's configuration, as text in and text out: a
/// single plugin (<c>.conf</c>) becomes a list, every sluice-redirect entry already there is
/// removed, and ours is appended last. Pure: the file handling is <see cref="CniConfInstaller"/>'s.
/// </summary>
public static class ChainedConfList
{
    public const string PluginType = "sluice-redirect";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, TypeInfoResolver = AgentJsonContext.Default };

    /// <summary>The list with <paramref name="entry"/> as its last plugin.</summary>
    /// <exception cref="ConfListException">The text is not a CNI configuration.</exception>
    public static string Insert(string text, string source, JsonObject entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var list = AsList(Parse(text, source), source);
        var plugins = list["plugins"]!.AsArray();
        RemoveOurs(plugins);
        plugins.Add(entry.DeepClone());
        return list.ToJsonString(Indented) + "\n";
    }

    /// <summary>The list without any sluice-redirect entry (for uninstall); null when there was none.</summary>
    public static string? Remove(string text, string source)
    {
        var list = AsList(Parse(text, source), source);
        return RemoveOurs(list["plugins"]!.AsArray()) ? list.ToJsonString(Indented) + "\n" : null;
    }

    /// <summary>Whether <paramref name="text"/> is already exactly what <see cref="Insert"/> would write.</summary>
    public static bool HasEntryLast(string text, string source, JsonObject entry)
    {
        var config = Parse(text, source);
        if (config["plugins"] is not JsonArray plugins)
        {
            // A single plugin is never what Insert writes; AsList still refuses a file that is no configuration at all.
            _ = AsList(config, source);
            return false;
        }

        return plugins.Count > 0 && plugins.Count(IsOurs) == 1 && JsonNode.DeepEquals(plugins[^1], entry);
    }

    private static JsonObject Parse(string text, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new ConfListException($"{source} is not valid JSON (line {e.LineNumber + 1}); it is left untouched");
        }

        return root as JsonObject ?? throw new ConfListException($"{source} is not a JSON object; it is left untouched");
    }

    private static JsonObject AsList(JsonObject config, string source)
    {
        if (config["plugins"] is JsonArray)
        {
            return config;
        }

        if (config["type"] is not JsonValue)
        {
            throw new ConfListException($"{source} has neither \"plugins\" nor \"type\": not a CNI configuration; it is left untouched");
        }

        // A single plugin's configuration: its name and version move up to the list.
        var plugin = (JsonObject)config.DeepClone();
        plugin.Remove("cniVersion");
        plugin.Remove("name");
        var list = new JsonObject
        {
            ["cniVersion"] = config["cniVersion"]?.DeepClone() ?? "1.0.0",
            ["name"] = config["name"]?.DeepClone() ?? "k8s-pod-network",
            ["plugins"] = new JsonArray(plugin),
        };
        return list;
    }

    private static bool RemoveOurs(JsonArray plugins)
    {
        var removed = false;
        for (var i = plugins.Count - 1; i >= 0; i--)
        {
            if (IsOurs(plugins[i]))
            {
                plugins.RemoveAt(i);
                removed = true;
            }
        }

        return removed;
    }

    private static bool IsOurs(JsonNode? plugin) =>
        plugin is JsonObject o && o["type"] is JsonValue type && type.TryGetValue<string>(out var name) && name == PluginType;
}
