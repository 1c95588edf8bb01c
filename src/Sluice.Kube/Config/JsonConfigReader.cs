using System.Text.Json;

namespace Sluice.Kube.Config;

/// <summary>Reads a kubeconfig written as JSON (JSON is YAML too) into the same tree as the YAML reader.</summary>
internal static class JsonConfigReader
{
    public static ConfigNode Read(string text)
    {
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        return Convert(document.RootElement);
    }

    private static ConfigNode Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => ConvertObject(element),
        JsonValueKind.Array => new ConfigSequence(0, element.EnumerateArray().Select(Convert).ToList()),
        JsonValueKind.String => new ConfigScalar(0, element.GetString()),
        JsonValueKind.Null or JsonValueKind.Undefined => new ConfigScalar(0, null),
        _ => new ConfigScalar(0, element.GetRawText()),
    };

    private static ConfigMapping ConvertObject(JsonElement element)
    {
        var entries = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            entries[property.Name] = Convert(property.Value);
        }

        return new ConfigMapping(0, entries);
    }
}
