using System.Text;
using System.Text.Json;

namespace Sluice.Json.Tests;

public sealed class JsonShapeReadTests
{
    [Fact]
    public void Read_EveryKind_IsTyped()
    {
        var sample = Read("""
            {"name":"a","count":-7,"big":9007199254740993,"flag":true,"tags":["x","y"],"labels":{"k":"v"},"switches":{"on":true,"off":false},
             "ports":[80,"8000-8100"],"anything":{"deep":[1,null]},"bytes": [ 1, 2 ] ,"child":{"name":"c"},"children":[{"count":1},{"count":2}]}
            """);

        Assert.Equal(("a", -7, 9007199254740993L, true), (sample.Name, sample.Count, sample.Big, sample.Flag));
        Assert.Equal(["x", "y"], sample.Tags);
        Assert.Equal("v", sample.Labels!["k"]);
        Assert.Equal(new Dictionary<string, bool> { ["on"] = true, ["off"] = false }, sample.Switches);
        Assert.Equal("80,8000-8100", sample.Ports);
        Assert.Equal("""{"deep":[1,null]}""", sample.Anything!.Value.GetRawText());
        Assert.Equal("[ 1, 2 ]", Encoding.UTF8.GetString(sample.Bytes!.Value.Span));
        Assert.Equal("c", sample.Child!.Name);
        Assert.Equal([1, 2], sample.Children!.Select(c => c.Count!.Value));
    }

    [Fact]
    public void Read_IgnoreCase_MatchesKeysInAnyCaseAndExactDoesNot()
    {
        const string json = """{"NAME":"a","Count":2}""";

        Assert.Equal(("a", 2), (Read(json).Name, Read(json).Count!.Value));
        var exact = JsonText.Read(Encoding.UTF8.GetBytes(json), Sample.ExactShape)!;
        Assert.Equal((null, null), (exact.Name, exact.Count));
    }

    [Fact]
    public void Read_Alias_SetsTheKeyItNames()
    {
        Assert.Equal("b", Read("""{"nom":"b"}""").Name);
    }

    [Fact]
    public void Read_UnknownKeys_AreSkippedWhateverTheyHold()
    {
        var sample = Read("""{"x":{"a":[1,{"b":null}]},"name":"a","y":"z"}""");

        Assert.Equal("a", sample.Name);
    }

    [Fact]
    public void Read_RepeatedKey_LastOneWins()
    {
        Assert.Equal("second", Read("""{"name":"first","name":"second"}""").Name);
    }

    [Fact]
    public void Read_EscapedAndLongKeys_AreMatched()
    {
        var longKey = new string('k', 200);

        Assert.Equal("a", Read("""{"n\u0061me":"a"}""").Name);
        Assert.Equal("a", Read($$"""{"{{longKey}}":1,"name":"a"}""").Name);
    }

    [Fact]
    public void Read_Null_LeavesTheValueAbsent()
    {
        var sample = Read("""{"name":null,"count":null,"tags":null,"child":null,"anything":null,"bytes":null,"ports":null}""");

        Assert.Equal((null, null, null, null, null), (sample.Name, sample.Count, sample.Tags, sample.Child, sample.Ports));
        Assert.Null(sample.Anything);
        Assert.Null(sample.Bytes);
    }

    [Theory]
    [InlineData("""{"name":1}""", "name", "a string")]
    [InlineData("""{"count":"1"}""", "count", "an integer")]
    [InlineData("""{"count":1.5}""", "count", "an integer")]
    [InlineData("""{"count":1e3}""", "count", "an integer")]
    [InlineData("""{"flag":"yes"}""", "flag", "true or false")]
    [InlineData("""{"tags":"x"}""", "tags", "an array")]
    [InlineData("""{"tags":[null]}""", "tags[0]", "a string")]
    [InlineData("""{"labels":{"k":1}}""", "labels.k", "a string")]
    [InlineData("""{"switches":{"on":null}}""", "switches.on", "true or false")]
    [InlineData("""{"ports":{"a":1}}""", "ports", "a string, a number or a list of them")]
    [InlineData("""{"ports":[true]}""", "ports[0]", "a string or a number")]
    [InlineData("""{"child":[]}""", "child", "an object")]
    [InlineData("""{"children":[{"count":1},null]}""", "children[1]", "an object")]
    [InlineData("""{"children":[{"child":{"tags":[1]}}]}""", "children[0].child.tags[0]", "a string")]
    [InlineData("""{"NAME":1}""", "NAME", "a string")]
    [InlineData("""[]""", "", "an object")]
    public void Read_WrongType_NamesThePathAsWritten(string json, string path, string expected)
    {
        var error = Assert.Throws<JsonFieldException>(() => Read(json));

        Assert.Equal((path, expected, JsonFieldProblem.WrongType), (error.Path, error.Expected, error.Problem));
    }

    [Theory]
    [InlineData("""{"count":2147483648}""", "count", "2147483648")]
    [InlineData("""{"count":-2147483649}""", "count", "-2147483649")]
    [InlineData("""{"big":9223372036854775808}""", "big", "9223372036854775808")]
    public void Read_IntegerTooLarge_IsOutOfRangeWithItsValue(string json, string path, string value)
    {
        var error = Assert.Throws<JsonFieldException>(() => Read(json));

        Assert.Equal((path, value, JsonFieldProblem.OutOfRange), (error.Path, error.Value, error.Problem));
        Assert.StartsWith($"field '{path}' {value} is not an integer from ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InsideALargerInput_NamesPathsFromWhereItSits()
    {
        var error = Assert.Throws<JsonFieldException>(() => JsonText.Read(Encoding.UTF8.GetBytes("""{"count":"x"}"""), Sample.Shape, "ipam"));

        Assert.Equal("ipam.count", error.Path);
    }

    [Fact]
    public void Read_NotJson_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => Read("""{"name":"a",}"""));
        Assert.ThrowsAny<JsonException>(() => Read("""{"name":"a"} x"""));
    }

    private static Sample Read(string json) => JsonText.Read(Encoding.UTF8.GetBytes(json), Sample.Shape)!;
}
