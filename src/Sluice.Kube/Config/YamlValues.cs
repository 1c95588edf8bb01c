using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

/// <summary>
/// What a kubeconfig's YAML nodes mean as kubectl reads them (YAML 1.1 through sigs.k8s.io/yaml):
/// a plain <c>null</c>, <c>~</c> or nothing is null; booleans are plain scalars only; a mapping's
/// merge key (<c>&lt;&lt;: *base</c>) supplies the keys the mapping does not set itself.
/// </summary>
internal static class YamlValues
{
    private const string MergeKey = "<<";

    private const int MaxMergeDepth = 8;

    /// <summary>The value of <paramref name="key"/> in <paramref name="mapping"/> or in what it merges; null when absent.</summary>
    public static YamlNode? Find(YamlMappingNode mapping, string key) => Find(mapping, key, 0);

    private static YamlNode? Find(YamlMappingNode mapping, string key, int depth)
    {
        foreach (var (name, value) in mapping.Children)
        {
            if (name is YamlScalarNode { Value: var text } && text == key && !IsMergeKey(name))
            {
                return value;
            }
        }

        // Aliases may form a cycle (a mapping that merges itself): merges are followed a few levels only.
        return depth < MaxMergeDepth && Merged(mapping) is { } merged
            ? merged.Select(source => Find(source, key, depth + 1)).FirstOrDefault(found => found is not null)
            : null;
    }

    /// <summary>True for a null scalar (plain <c>null</c>, <c>~</c>, nothing, or tagged <c>!!null</c>).</summary>
    public static bool IsNull(YamlNode node) => node is YamlScalarNode scalar && IsNull(scalar);

    /// <summary>The text of a scalar, null for a null scalar.</summary>
    public static string? Text(YamlScalarNode scalar) => IsNull(scalar) ? null : scalar.Value ?? "";

    /// <summary>A YAML 1.1 boolean (true/false, yes/no, on/off, y/n in kubectl's spellings) written plain; null otherwise.</summary>
    public static bool? Boolean(YamlScalarNode scalar)
    {
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
        {
            return null;
        }

        return scalar.Value switch
        {
            "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON" or "y" or "Y" => true,
            "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF" or "n" or "N" => false,
            _ => null,
        };
    }

    /// <summary>The 1-based line a node starts on.</summary>
    public static long Line(YamlNode node) => node.Start.Line;

    private static bool IsNull(YamlScalarNode scalar) =>
        (!scalar.Tag.IsEmpty && scalar.Tag.Value == "tag:yaml.org,2002:null") ||
        (scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL");

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: MergeKey, Style: YamlDotNet.Core.ScalarStyle.Plain };

    /// <summary>The mappings a merge key brings in, nearest first (<c>&lt;&lt;: *a</c> or <c>&lt;&lt;: [*a, *b]</c>).</summary>
    private static IEnumerable<YamlMappingNode>? Merged(YamlMappingNode mapping)
    {
        foreach (var (name, value) in mapping.Children)
        {
            if (IsMergeKey(name))
            {
                return value switch
                {
                    YamlMappingNode single => [single],
                    YamlSequenceNode list => list.Children.OfType<YamlMappingNode>(),
                    _ => null,
                };
            }
        }

        return null;
    }
}
