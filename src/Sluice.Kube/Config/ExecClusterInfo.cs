using System.Text;
using System.Text.Json;
using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

/// <summary>
/// The cluster as an exec plugin with provideClusterInfo gets it (ExecCredential spec.cluster):
/// server, tls-server-name, insecure-skip-tls-verify, certificate-authority-data, and as config
/// the cluster's extension named client.authentication.k8s.io/exec, converted to JSON.
/// </summary>
internal static class ExecClusterInfo
{
    public const string ExtensionName = "client.authentication.k8s.io/exec";

    /// <summary>Nesting deeper than this in the extension is refused (aliases can make a node contain itself).</summary>
    private const int MaxDepth = 32;

    /// <exception cref="KubeConfigException">The extension nests deeper than <see cref="MaxDepth"/>; the message starts with <paramref name="source"/>.</exception>
    public static string Json(string server, byte[]? authority, bool insecure, string? tlsServerName, YamlMappingNode cluster, string source)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("server", server);
            if (tlsServerName is not null)
            {
                json.WriteString("tls-server-name", tlsServerName);
            }

            if (insecure)
            {
                json.WriteBoolean("insecure-skip-tls-verify", true);
            }

            if (authority is not null)
            {
                json.WriteBase64String("certificate-authority-data", authority);
            }

            if (Extension(cluster) is { } config)
            {
                json.WritePropertyName("config");
                Write(json, config, 0, source);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static YamlNode? Extension(YamlMappingNode cluster)
    {
        if (YamlValues.Find(cluster, "extensions") is not YamlSequenceNode extensions)
        {
            return null;
        }

        return extensions.Children
            .OfType<YamlMappingNode>()
            .Where(entry => YamlValues.Find(entry, "name") is YamlScalarNode { Value: ExtensionName })
            .Select(entry => YamlValues.Find(entry, "extension"))
            .FirstOrDefault(extension => extension is not null);
    }

    /// <summary>YAML as JSON, the way sigs.k8s.io/yaml converts it: plain booleans, numbers and nulls keep their type.</summary>
    private static void Write(Utf8JsonWriter json, YamlNode node, int depth, string source)
    {
        if (depth > MaxDepth)
        {
            throw new KubeConfigException($"{source}: line {YamlValues.Line(node)}: the cluster's {ExtensionName} extension nests deeper than {MaxDepth} levels");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                json.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    json.WritePropertyName(key is YamlScalarNode scalarKey ? scalarKey.Value ?? "" : key.ToString());
                    Write(json, value, depth + 1, source);
                }

                json.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                json.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    Write(json, item, depth + 1, source);
                }

                json.WriteEndArray();
                break;
            case YamlScalarNode scalar when YamlValues.IsNull(scalar):
                json.WriteNullValue();
                break;
            case YamlScalarNode scalar when YamlValues.Boolean(scalar) is { } flag:
                json.WriteBooleanValue(flag);
                break;
            case YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: { } text } when IsJsonNumber(text):
                json.WriteRawValue(text);
                break;
            case YamlScalarNode scalar:
                json.WriteStringValue(scalar.Value ?? "");
                break;
            default:
                json.WriteNullValue();
                break;
        }
    }

    /// <summary>-?digits(.digits)?([eE][+-]?digits)? with no leading zero: a number in YAML and in JSON alike.</summary>
    private static bool IsJsonNumber(string text)
    {
        var i = text.StartsWith('-') ? 1 : 0;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i == start || (text[start] == '0' && i - start > 1))
        {
            return false;
        }

        if (i < text.Length && text[i] == '.')
        {
            start = ++i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i += i + 1 < text.Length && text[i + 1] is '+' or '-' ? 2 : 1;
            start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (i == start)
            {
                return false;
            }
        }

        return i == text.Length;
    }
}
