using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using static Sluice.Cni.Json.JsonFields;

namespace Sluice.Redirect;

/// <summary>
/// Reads <see cref="RedirectConfig"/> by hand (no serializer metadata, see
/// <see cref="NetworkConfigReader"/>), exactly as <c>RedirectJsonContext</c> reads it: keys match
/// without regard to case, unknown keys inside the sections are skipped, and a value of the wrong
/// type names the field (<c>capture.outboundPort</c>).
/// </summary>
internal static class RedirectConfigReader
{
    public static RedirectConfig Read(ReadOnlyMemory<byte> json, string what) =>
        NetworkConfigReader.Read<RedirectConfig>(json, what, OwnKey);

    private static bool OwnKey(RedirectConfig config, string key, ref Utf8JsonReader reader)
    {
        if (KeyIs(key, "profile"))
        {
            config.Profile = String(ref reader, key);
        }
        else if (KeyIs(key, "backend"))
        {
            config.Backend = String(ref reader, key);
        }
        else if (KeyIs(key, "failurePolicy"))
        {
            config.FailurePolicy = String(ref reader, key);
        }
        else if (KeyIs(key, "logLevel"))
        {
            config.LogLevelSetting = String(ref reader, key);
        }
        else if (KeyIs(key, "log_level"))
        {
            config.LogLevelSnakeCase = String(ref reader, key);
        }
        else if (KeyIs(key, "logFile"))
        {
            config.LogFile = String(ref reader, key);
        }
        else if (KeyIs(key, "logSocket"))
        {
            config.LogSocket = String(ref reader, key);
        }
        else if (KeyIs(key, "kubernetes"))
        {
            config.Kubernetes = Kubernetes(ref reader, key);
        }
        else if (KeyIs(key, "capture"))
        {
            config.Capture = CaptureSectionReader.Read(ref reader, key);
        }
        else if (KeyIs(key, "podLookup"))
        {
            config.PodLookup = PodLookup(ref reader, key);
        }
        else if (KeyIs(key, "selector"))
        {
            config.Selector = Selector(ref reader, key);
        }
        else
        {
            return false;
        }

        return true;
    }

    private static KubernetesSection? Kubernetes(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var section = new KubernetesSection();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "kubeconfig"))
            {
                section.Kubeconfig = String(ref reader, at);
            }
            else if (KeyIs(key, "agentSocket"))
            {
                section.AgentSocket = String(ref reader, at);
            }
            else if (KeyIs(key, "excludeNamespaces"))
            {
                section.ExcludeNamespaces = StringList(ref reader, at);
            }
            else if (KeyIs(key, "exclude_namespaces"))
            {
                section.ExcludeNamespacesSnakeCase = StringList(ref reader, at);
            }
            else if (KeyIs(key, "nodeName"))
            {
                section.NodeName = String(ref reader, at);
            }
            else if (KeyIs(key, "node_name"))
            {
                section.NodeNameSnakeCase = String(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return section;
    }

    private static PodLookupSection? PodLookup(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var section = new PodLookupSection();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "timeoutMs"))
            {
                section.TimeoutMs = Int32(ref reader, at);
            }
            else if (KeyIs(key, "attempts"))
            {
                section.Attempts = Int32(ref reader, at);
            }
            else if (KeyIs(key, "totalMs"))
            {
                section.TotalMs = Int32(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return section;
    }

    private static SelectorSection? Selector(ref Utf8JsonReader reader, string path)
    {
        if (!StartObject(ref reader, path))
        {
            return null;
        }

        var section = new SelectorSection();
        while (NextKey(ref reader, out var key))
        {
            var at = Child(path, key);
            if (KeyIs(key, "labels"))
            {
                section.Labels = StringMap(ref reader, at);
            }
            else if (KeyIs(key, "annotations"))
            {
                section.Annotations = StringMap(ref reader, at);
            }
            else
            {
                reader.Skip();
            }
        }

        return section;
    }
}
