using System.Globalization;
using System.Text;

namespace Sluice.Kube.Config;

/// <summary>Scalar syntax of the YAML subset: quoting, escapes, comments and the key/value colon.</summary>
internal static class YamlScalars
{
    /// <summary>Turns a scalar's source text into its value (null for null, ~ and the empty string).</summary>
    public static ConfigNode Parse(string text, YamlLine line)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return new ConfigScalar(line.Number, null);
            case "{}":
                return new ConfigMapping(line.Number, new Dictionary<string, ConfigNode>());
            case "[]":
                return new ConfigSequence(line.Number, []);
        }

        return text[0] switch
        {
            '"' => new ConfigScalar(line.Number, DoubleQuoted(text, line)),
            '\'' => new ConfigScalar(line.Number, SingleQuoted(text, line)),
            '{' or '[' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' =>
                throw YamlSubsetReader.Error(line, $"unsupported YAML ('{text[0]}'): kubeconfig needs only plain mappings, sequences and scalars"),
            _ => new ConfigScalar(line.Number, text),
        };
    }

    /// <summary>Removes a comment: '#' at the start or after a space, outside quotes.</summary>
    public static string StripComment(string raw)
    {
        var quote = '\0';
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if ((c == '"' || c == '\'') && (i == 0 || raw[i - 1] is ' ' or ':' or '-'))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || raw[i - 1] == ' '))
            {
                return raw[..i];
            }
        }

        return raw;
    }

    /// <summary>The index of the colon that separates a key from its value, or -1.</summary>
    public static int FindMappingColon(string content)
    {
        var i = 0;
        if (content.Length > 0 && content[0] is '"' or '\'')
        {
            i = ClosingQuote(content, content[0]) + 1;
            if (i == 0)
            {
                return -1;
            }
        }

        for (; i < content.Length; i++)
        {
            if (content[i] == ':' && (i + 1 == content.Length || content[i + 1] == ' '))
            {
                return i;
            }
        }

        return -1;
    }

    private static int ClosingQuote(string text, char quote)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (quote == '"' && text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                if (quote == '\'' && i + 1 < text.Length && text[i + 1] == '\'')
                {
                    i++;
                    continue;
                }

                return i;
            }
        }

        return -1;
    }

    private static string SingleQuoted(string text, YamlLine line)
    {
        if (ClosingQuote(text, '\'') != text.Length - 1)
        {
            throw YamlSubsetReader.Error(line, "unterminated or trailing text after single-quoted string");
        }

        return text[1..^1].Replace("''", "'", StringComparison.Ordinal);
    }

    private static string DoubleQuoted(string text, YamlLine line)
    {
        if (ClosingQuote(text, '"') != text.Length - 1)
        {
            throw YamlSubsetReader.Error(line, "unterminated or trailing text after double-quoted string");
        }

        var value = new StringBuilder(text.Length);
        for (var i = 1; i < text.Length - 1; i++)
        {
            var c = text[i];
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            c = text[++i];
            switch (c)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case '0': value.Append('\0'); break;
                case '"' or '\\' or '/' or ' ': value.Append(c); break;
                case 'x': value.Append(Hex(text, ref i, 2, line)); break;
                case 'u': value.Append(Hex(text, ref i, 4, line)); break;
                default: throw YamlSubsetReader.Error(line, $"unsupported escape '\\{c}'");
            }
        }

        return value.ToString();
    }

    private static char Hex(string text, ref int i, int digits, YamlLine line)
    {
        if (i + digits >= text.Length
            || !int.TryParse(text.AsSpan(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
        {
            throw YamlSubsetReader.Error(line, "bad hexadecimal escape");
        }

        i += digits;
        return (char)code;
    }
}
