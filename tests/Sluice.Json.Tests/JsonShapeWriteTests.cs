using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Sluice.Json.Tests;

public sealed class JsonShapeWriteTests
{
    [Fact]
    public void Write_FieldsInDeclarationOrderAndAbsentOnesLeftOut()
    {
        var sample = new Sample { Ports = "80", Count = 3, Name = "a", Child = new Sample { Flag = false } };

        Assert.Equal("""{"name":"a","count":3,"ports":"80","child":{"flag":false}}""", Write(sample));
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameObject()
    {
        const string json = """{"name":"a","count":-7,"big":5,"flag":true,"tags":["x"],"labels":{"k":"v"},"switches":{"on":true},"ports":"1,2","anything":{"a":[1]},"bytes":[1,2],"child":{"name":"c"},"children":[{"count":1}]}""";

        Assert.Equal(json, Write(JsonText.Read(Encoding.UTF8.GetBytes(json), Sample.Shape)!));
    }

    [Fact]
    public void Write_AliasesAreNeverWritten()
    {
        var sample = JsonText.Read("""{"nom":"b"}"""u8.ToArray(), Sample.Shape)!;

        Assert.Equal("""{"name":"b"}""", Write(sample));
    }

    private static string Write(Sample sample)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output))
        {
            Sample.Shape.Write(writer, sample);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
