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
    /// served nodes, and sends it to node watches. Returns the event's resource version.
    /// </summary>
    public string PushNodeEvent(string type, string nodeJson)
    {
        var name = NameOf(nodeJson);
        if (type == "DELETED")
        {
            _nodes.TryRemove(name, out _);
        }
        else
        {
            _nodes[name] = nodeJson;
        }

        var version = NextResourceVersion();
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

        var version = NextResourceVersion();
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

    private static string NameOf(string objectJson)
    {
        using var document = JsonDocument.Parse(objectJson);
        return document.RootElement.GetProperty("metadata").GetProperty("name").GetString() ?? "";
    }
}
