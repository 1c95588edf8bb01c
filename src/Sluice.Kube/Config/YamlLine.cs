namespace Sluice.Kube.Config;

/// <summary>One meaningful YAML line: its 1-based number, indentation and content without comment.</summary>
internal readonly record struct YamlLine(int Number, int Indent, string Content)
{
    public bool IsSequenceItem => Content == "-" || Content.StartsWith("- ", StringComparison.Ordinal);

    /// <summary>Splits text into lines, dropping blank lines, comments and document markers.</summary>
    public static List<YamlLine> Split(string text)
    {
        var lines = new List<YamlLine>();
        var number = 0;
        foreach (var raw in text.ReplaceLineEndings("\n").Split('\n'))
        {
            number++;
            var withoutComment = YamlScalars.StripComment(raw).TrimEnd();
            var content = withoutComment.TrimStart(' ');
            if (content.Length == 0 || content == "---")
            {
                continue;
            }

            if (content[0] == '\t')
            {
                throw new FormatException($"line {number}: tabs are not allowed for indentation");
            }

            lines.Add(new YamlLine(number, withoutComment.Length - content.Length, content));
        }

        return lines;
    }
}
