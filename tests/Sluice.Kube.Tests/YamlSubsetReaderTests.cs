using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

public sealed class YamlSubsetReaderTests
{
    private static ConfigMapping Read(string yaml) => Assert.IsType<ConfigMapping>(YamlSubsetReader.Read(yaml));

    [Fact]
    public void Sequences_of_scalars_and_indented_sequences_are_read()
    {
        var root = Read("""
            a:
              - one
              - "two: quoted"
            b:
            - x: 1
              y: [not, supported, but, unused]
            """.Replace("[not, supported, but, unused]", "'[literal]'", StringComparison.Ordinal));

        var a = Assert.IsType<ConfigSequence>(root.Entries["a"]);
        Assert.Equal(["one", "two: quoted"], a.Items.Select(i => ((ConfigScalar)i).Value));
        var item = Assert.IsType<ConfigMapping>(Assert.Single(((ConfigSequence)root.Entries["b"]).Items));
        Assert.Equal("[literal]", ((ConfigScalar)item.Entries["y"]).Value);
    }

    [Fact]
    public void Empty_values_null_and_empty_flow_collections_are_read()
    {
        var root = Read("a:\nb: ~\nc: {}\nd: []\ne: \"\"\n");

        Assert.Null(((ConfigScalar)root.Entries["a"]).Value);
        Assert.Null(((ConfigScalar)root.Entries["b"]).Value);
        Assert.Empty(((ConfigMapping)root.Entries["c"]).Entries);
        Assert.Empty(((ConfigSequence)root.Entries["d"]).Items);
        Assert.Equal("", ((ConfigScalar)root.Entries["e"]).Value);
    }

    [Fact]
    public void Double_quoted_escapes_are_decoded()
    {
        var root = Read("""k: "a\tb\u00e9\\c\"" """);

        Assert.Equal("a\tbé\\c\"", ((ConfigScalar)root.Entries["k"]).Value);
    }

    [Theory]
    [InlineData("a: |\n  block\n", "line 1")]
    [InlineData("a: 1\na: 2\n", "line 2: duplicate key 'a'")]
    [InlineData("a: 1\n   b: 2\n", "line 2")]
    [InlineData("just text\n", "line 1: expected 'key: value'")]
    public void Unsupported_or_broken_yaml_names_the_line(string yaml, string expected)
    {
        var error = Assert.Throws<FormatException>(() => YamlSubsetReader.Read(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
