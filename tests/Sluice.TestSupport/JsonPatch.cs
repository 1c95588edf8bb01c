using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.TestSupport;

/// <summary>
/// RFC 6902 JSON patch, as kube-apiserver applies it for <c>application/json-patch+json</c>: the
/// operations in order on a copy, all or nothing. <c>add</c>, <c>remove</c>, <c>replace</c> and
/// <c>test</c> (values compared deeply); <c>move</c> and <c>copy</c> are refused as unsupported
/// (no caller sends them). A patch that is not a list of operations is a <see cref="FormatException"/>
/// (the server's 400); an operation that does not apply (a failed test, a missing path) an
/// <see cref="InvalidOperationException"/> (the server's 422).
/// </summary>
public static class JsonPatch
{
    public static JsonNode Apply(JsonNode document, string patch)
    {
        ArgumentNullException.ThrowIfNull(document);
        JsonArray operations;
        try
        {
            operations = JsonNode.Parse(patch) as JsonArray ?? throw new FormatException("a JSON patch is a list of operations");
        }
        catch (JsonException error)
        {
            throw new FormatException($"the patch is not JSON: {error.Message}");
        }

        var result = document.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op || op["op"]?.GetValue<string>() is not { } name || op["path"]?.GetValue<string>() is not { } path)
            {
                throw new FormatException("every operation has \"op\" and \"path\"");
            }

            result = name switch
            {
                "test" => Test(result, path, op),
                "remove" => Remove(result, path),
                "add" => Add(result, path, Value(op, name)),
                "replace" => Add(Remove(result, path), path, Value(op, name)),
                _ => throw new FormatException($"operation \"{name}\" is not supported by the fake API server"),
            };
        }

        return result;
    }

    private static JsonNode? Value(JsonObject op, string name) =>
        op.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw new FormatException($"\"{name}\" needs a value");

    private static JsonNode Test(JsonNode document, string path, JsonObject op)
    {
        var (parent, key) = Locate(document, path);
        var actual = parent is JsonArray array ? array[Index(array, key, path, allowEnd: false)] : ((JsonObject)parent)[key];
        return JsonNode.DeepEquals(actual, op["value"]) ? document : throw new InvalidOperationException($"testing value {path} failed: test failed");
    }

    private static JsonNode Remove(JsonNode document, string path)
    {
        var (parent, key) = Locate(document, path);
        if (parent is JsonArray array)
        {
            array.RemoveAt(Index(array, key, path, allowEnd: false));
        }
        else if (!((JsonObject)parent).Remove(key))
        {
            throw new InvalidOperationException($"remove operation does not apply: doc is missing key: {path}");
        }

        return document;
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0)
        {
            return value ?? throw new InvalidOperationException("the document cannot be null");
        }

        var (parent, key) = Locate(document, path);
        if (parent is JsonArray array)
        {
            array.Insert(key == "-" ? array.Count : Index(array, key, path, allowEnd: true), value);
        }
        else
        {
            ((JsonObject)parent)[key] = value;
        }

        return document;
    }

    /// <summary>The container of the pointer's last token, and that token (unescaped).</summary>
    private static (JsonNode Parent, string Key) Locate(JsonNode document, string path)
    {
        if (!path.StartsWith('/'))
        {
            throw new FormatException($"\"{path}\" is not a JSON pointer");
        }

        var tokens = path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var current = document;
        foreach (var token in tokens[..^1])
        {
            current = current switch
            {
                JsonObject o when o[token] is { } child => child,
                JsonArray a => a[Index(a, token, path, allowEnd: false)] ?? throw new InvalidOperationException($"doc is missing path: {path}"),
                _ => throw new InvalidOperationException($"doc is missing path: {path}"),
            };
        }

        return current is JsonObject or JsonArray ? (current, tokens[^1]) : throw new InvalidOperationException($"doc is missing path: {path}");
    }

    private static int Index(JsonArray array, string token, string path, bool allowEnd) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count + (allowEnd ? 1 : 0)
            ? index
            : throw new InvalidOperationException($"unable to access invalid index: {token} in {path}");
}
