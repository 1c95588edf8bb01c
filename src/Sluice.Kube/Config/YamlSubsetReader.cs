namespace Sluice.Kube.Config;

/// <summary>
/// Reads the part of YAML that kubeconfig files use (as kubectl and Sluice write them):
/// block mappings, block sequences (including <c>- name: x</c> items and a sequence at its
/// key's own indentation), plain, single- and double-quoted scalars, <c>{}</c>/<c>[]</c>,
/// and comments. Anything else (anchors, block scalars, flow collections with content) is
/// rejected with the line number rather than misread.
/// </summary>
internal sealed class YamlSubsetReader
{
    private readonly List<YamlLine> _lines;
    private int _next;

    private YamlSubsetReader(List<YamlLine> lines) => _lines = lines;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> naming the line.</summary>
    public static ConfigNode Read(string text)
    {
        var reader = new YamlSubsetReader(YamlLine.Split(text));
        if (reader._lines.Count == 0)
        {
            return new ConfigMapping(1, new Dictionary<string, ConfigNode>());
        }

        var root = reader.ReadNode(reader._lines[0].Indent);
        if (reader._next < reader._lines.Count)
        {
            throw Error(reader._lines[reader._next], "unexpected indentation");
        }

        return root;
    }

    private ConfigNode ReadNode(int indent)
    {
        var line = _lines[_next];
        return line.IsSequenceItem ? ReadSequence(indent) : ReadMapping(indent);
    }

    private ConfigMapping ReadMapping(int indent)
    {
        var entries = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        var first = _lines[_next].Number;
        while (_next < _lines.Count && _lines[_next].Indent == indent && !_lines[_next].IsSequenceItem)
        {
            var line = _lines[_next++];
            var (key, value) = SplitKeyValue(line);
            if (!entries.TryAdd(key, ReadValue(line, indent, value)))
            {
                throw Error(line, $"duplicate key '{key}'");
            }
        }

        return new ConfigMapping(first, entries);
    }

    private ConfigNode ReadValue(YamlLine line, int indent, string value)
    {
        if (value.Length > 0)
        {
            return YamlScalars.Parse(value, line);
        }

        if (_next < _lines.Count)
        {
            var child = _lines[_next];
            if (child.Indent > indent || (child.Indent == indent && child.IsSequenceItem))
            {
                return ReadNode(child.Indent);
            }
        }

        return new ConfigScalar(line.Number, null);
    }

    private ConfigSequence ReadSequence(int indent)
    {
        var items = new List<ConfigNode>();
        var first = _lines[_next].Number;
        while (_next < _lines.Count && _lines[_next].Indent == indent && _lines[_next].IsSequenceItem)
        {
            var line = _lines[_next];
            var rest = line.Content[1..];
            var offset = rest.Length - rest.TrimStart(' ').Length + 1;
            rest = rest.TrimStart(' ');
            if (rest.Length == 0)
            {
                _next++;
                items.Add(_next < _lines.Count && _lines[_next].Indent > indent
                    ? ReadNode(_lines[_next].Indent)
                    : new ConfigScalar(line.Number, null));
            }
            else if (YamlScalars.FindMappingColon(rest) >= 0)
            {
                // "- name: x": the item is a mapping whose first key sits after the dash.
                _lines[_next] = new YamlLine(line.Number, indent + offset, rest);
                items.Add(ReadMapping(indent + offset));
            }
            else
            {
                _next++;
                items.Add(YamlScalars.Parse(rest, line));
            }
        }

        return new ConfigSequence(first, items);
    }

    private static (string Key, string Value) SplitKeyValue(YamlLine line)
    {
        var colon = YamlScalars.FindMappingColon(line.Content);
        if (colon < 0)
        {
            throw Error(line, "expected 'key: value'");
        }

        var keyText = line.Content[..colon].TrimEnd();
        var key = YamlScalars.Parse(keyText, line) is ConfigScalar { Value: { } text } ? text : throw Error(line, "a key must be a scalar");
        return (key, line.Content[(colon + 1)..].Trim());
    }

    internal static FormatException Error(YamlLine line, string what) => new($"line {line.Number}: {what}");
}
