using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.TestSupport;

/// <summary>
/// Merge patches as kube-apiserver applies them: RFC 7386 (<c>application/merge-patch+json</c>:
/// objects merged recursively, null removes a key, lists replaced) and the strategic merge of the
/// built-in types (<c>application/strategic-merge-patch+json</c>), which merges the lists the
/// Kubernetes types key by name (containers, init containers, env, volumes) element by element
/// and replaces the others, as lists without a patch strategy are.
/// </summary>
public static class MergePatch
{
    private static readonly HashSet<string> ListsKeyedByName = new(StringComparer.Ordinal) { "containers", "initContainers", "env", "volumes" };

    /// <exception cref="FormatException">The patch is not a JSON object.</exception>
    public static JsonNode Apply(JsonNode document, string patch, bool strategic)
    {
        ArgumentNullException.ThrowIfNull(document);
        JsonObject changes;
        try
        {
            changes = JsonNode.Parse(patch) as JsonObject ?? throw new FormatException("a merge patch is a JSON object");
        }
        catch (JsonException error)
        {
            throw new FormatException($"the patch is not JSON: {error.Message}");
        }

        return Merge(document.DeepClone(), changes, strategic);
    }

    private static JsonObject Merge(JsonNode? target, JsonObject changes, bool strategic)
    {
        var result = target as JsonObject ?? [];
        foreach (var (key, change) in changes.ToList())
        {
            if (change is null)
            {
                result.Remove(key);
            }
            else if (change is JsonObject nested)
            {
                result[key] = Merge(result[key]?.DeepClone(), nested, strategic);
            }
            else if (strategic && change is JsonArray list && ListsKeyedByName.Contains(key) && result[key] is JsonArray existing)
            {
                result[key] = MergeByName(existing, list);
            }
            else
            {
                result[key] = change.DeepClone();
            }
        }

        return result;
    }

    private static JsonArray MergeByName(JsonArray existing, JsonArray changes)
    {
        var merged = (JsonArray)existing.DeepClone();
        foreach (var change in changes.OfType<JsonObject>())
        {
            var name = change["name"]?.GetValue<string>();
            var index = merged.Select((item, i) => (item, i)).FirstOrDefault(p => p.item?["name"]?.GetValue<string>() == name, (null, -1)).Item2;
            if (index < 0)
            {
                merged.Add(change.DeepClone());
            }
            else
            {
                merged[index] = Merge(merged[index]!.DeepClone(), change, strategic: true);
            }
        }

        return merged;
    }
}
