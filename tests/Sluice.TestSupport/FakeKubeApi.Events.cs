using System.Globalization;
using System.Text.Json;

namespace Sluice.TestSupport;

public sealed partial class FakeKubeApi
{
    /// <summary>How many node watches are open now.</summary>
    public int OpenNodeWatches => _nodeFeed.ActiveWatchers;

    /// <summary>How many pod watches are open now.</summary>
    public int OpenPodWatches => _podFeed.ActiveWatchers;

    /// <summary>
    /// Records a node change (ADDED, MODIFIED, DELETED) at the next resource version, updates the
    /// served nodes, and sends it to node watches. Returns the event's resource version, which is
    /// also the object's metadata.resourceVersion from then on (as the API server stamps it, so a
    /// client resuming a watch from an object's version gets exactly the changes after it).
    /// </summary>
    public string PushNodeEvent(string type, string nodeJson)
    {
        var version = NextResourceVersion();
        nodeJson = Stamped(nodeJson, version);
        var name = NameOf(nodeJson);
        if (type == "DELETED")
        {
            _nodes.TryRemove(name, out _);
        }
        else
        {
            _nodes[name] = nodeJson;
        }

        _nodeFeed.Push(long.Parse(version, CultureInfo.InvariantCulture), EventLine(type, nodeJson), null);
        return version;
    }

    /// <summary>Sends a BOOKMARK to node watches (an object with only kind and metadata.resourceVersion).</summary>
    public string PushNodeBookmark()
    {
        var version = NextResourceVersion();
        var bookmark = $$$"""{"kind":"Node","apiVersion":"v1","metadata":{"resourceVersion":"{{{version}}}","creationTimestamp":null}}""";
        _nodeFeed.Push(long.Parse(version, CultureInfo.InvariantCulture), EventLine("BOOKMARK", bookmark), null);
        return version;
    }

    /// <summary>Sends an ERROR event carrying a Status (e.g. 410 Expired) to node watches.</summary>
    public void PushNodeWatchError(int code, string message, string reason)
    {
        var version = NextResourceVersion();
        _nodeFeed.Push(long.Parse(version, CultureInfo.InvariantCulture), EventLine("ERROR", StatusJson(code, message, reason)), null);
    }

    /// <summary>Records a pod change, updates the served pods, and sends it to the watches of the pod's node.</summary>
    public string PushPodEvent(string type, string podJson)
    {
        var version = NextResourceVersion();
        podJson = Stamped(podJson, version);
        using (var document = JsonDocument.Parse(podJson))
        {
            var metadata = document.RootElement.GetProperty("metadata");
            var key = $"{metadata.GetProperty("namespace").GetString()}/{metadata.GetProperty("name").GetString()}";
            if (type == "DELETED")
            {
                _pods.TryRemove(key, out _);
            }
            else
            {
                _pods[key] = podJson;
            }
        }

        _podFeed.Push(long.Parse(version, CultureInfo.InvariantCulture), EventLine(type, podJson), PodNodeName(podJson));
        return version;
    }

    /// <summary>Ends all open watches cleanly, as the API server does when a watch times out.</summary>
    public void EndWatches()
    {
        _nodeFeed.EndAll();
        _podFeed.EndAll();
    }

    private static string EventLine(string type, string objectJson)
    {
        // One event per line, as the API server sends them: the object re-written without newlines.
        using var document = JsonDocument.Parse(objectJson);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }

        return $$"""{"type":"{{type}}","object":{{System.Text.Encoding.UTF8.GetString(buffer.ToArray())}}}""";
    }

    /// <summary>
    /// <paramref name="objectJson"/> with <paramref name="version"/> as its metadata.resourceVersion,
    /// changed in the text (the rest stays byte for byte, malformed values included): the first
    /// "resourceVersion" key, which in a Pod or Node is metadata's, or one added to metadata.
    /// </summary>
    private static string Stamped(string objectJson, string version)
    {
        var existing = ResourceVersionKey().Match(objectJson);
        if (existing.Success)
        {
            return string.Concat(objectJson.AsSpan(0, existing.Index), $"\"resourceVersion\":\"{version}\"", objectJson.AsSpan(existing.Index + existing.Length));
        }

        var metadata = MetadataKey().Match(objectJson);
        if (!metadata.Success)
        {
            return objectJson;
        }

        var rest = objectJson.AsSpan(metadata.Index + metadata.Length);
        var separator = rest.TrimStart().StartsWith("}", StringComparison.Ordinal) ? "" : ",";
        return string.Concat(objectJson.AsSpan(0, metadata.Index + metadata.Length), $"\"resourceVersion\":\"{version}\"{separator}", rest);
    }

    [System.Text.RegularExpressions.GeneratedRegex("\"resourceVersion\"\\s*:\\s*\"[^\"]*\"")]
    private static partial System.Text.RegularExpressions.Regex ResourceVersionKey();

    [System.Text.RegularExpressions.GeneratedRegex("\"metadata\"\\s*:\\s*\\{")]
    private static partial System.Text.RegularExpressions.Regex MetadataKey();

    private static string NameOf(string objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        return document.RootElement.GetProperty("metadata").GetProperty("name").GetString() ?? "";
    }
}
