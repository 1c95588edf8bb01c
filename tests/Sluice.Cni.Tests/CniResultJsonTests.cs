using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

/// <summary>A result read from and written by its one declared shape.</summary>
public sealed class CniResultJsonTests
{
    private const string Full = """
        {
          "cniVersion": "1.1.0",
          "interfaces": [
            {
              "name": "eth0",
              "mac": "aa:bb:cc:dd:ee:ff",
              "mtu": 1500,
              "sandbox": "/var/run/netns/p",
              "socketPath": "/s",
              "pciID": "0000:00:01.0"
            }
          ],
          "ips": [
            {
              "address": "10.0.0.2/24",
              "gateway": "10.0.0.1",
              "interface": 0
            }
          ],
          "routes": [
            {
              "dst": "0.0.0.0/0",
              "gw": "10.0.0.1",
              "mtu": 1400,
              "advmss": 1360,
              "priority": 10,
              "table": 100,
              "scope": 0
            }
          ],
          "dns": {
            "nameservers": [
              "10.0.0.10"
            ],
            "domain": "d",
            "search": [
              "s"
            ],
            "options": [
              "o"
            ]
          }
        }
        """;

    [Fact]
    public void Read_EveryField_IsWrittenBackIdentically()
    {
        var result = Read(Full);

        Assert.Equal(Full.ReplaceLineEndings("\n"), Write(result));
    }

    [Fact]
    public void Read_KeysInAnyCase_AreMatchedAndUnknownKeysSkipped()
    {
        var result = Read("""{"CNIVersion":"0.3.1","Interfaces":[{"Name":"eth0"}],"IPS":[{"Version":"4","Address":"10.0.0.2/24","Interface":0}],"unknown":[1,{"a":2}]}""");

        Assert.Equal("0.3.1", result.CniVersion);
        Assert.Equal("eth0", result.Interfaces![0].Name);
        Assert.Equal(("4", "10.0.0.2/24", 0), (result.Ips![0].Version, result.Ips[0].Address, result.Ips[0].Interface));
    }

    [Fact]
    public void Write_AbsentFields_AreLeftOut()
    {
        var result = new CniResult { CniVersion = "1.0.0", Ips = [new() { Address = "10.0.0.2/24" }] };

        Assert.Equal("""{"cniVersion":"1.0.0","ips":[{"address":"10.0.0.2/24"}]}""", JsonSerializer.Serialize(JsonDocument.Parse(Write(result)).RootElement));
    }

    [Fact]
    public void Write_EveryCharacter_IsEscapedAsTheDefaultEncoderEscapesIt()
    {
        var texts = Enumerable.Range(0, char.MaxValue + 1)
            .Where(c => c is < 0xD800 or > 0xDFFF)
            .Select(c => $"a{(char)c}b")
            .Append("emoji \U0001F600 and \u00e9\u2028<&>");
        foreach (var text in texts)
        {
            var written = Write(new CniResult { Interfaces = [new() { Name = text }] });

            Assert.Contains(Escaped(text), written, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"cniVersion":1}""", "field 'cniVersion' expected a string")]
    [InlineData("""{"interfaces":{}}""", "field 'interfaces' expected an array")]
    [InlineData("""{"interfaces":[{"name":"eth0","mtu":"big"}]}""", "field 'interfaces[0].mtu' expected an integer")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/24"},{"interface":1.5}]}""", "field 'ips[1].interface' expected an integer")]
    [InlineData("""{"ips":["10.0.0.2/24"]}""", "field 'ips[0]' expected an object")]
    [InlineData("""{"ips":[null]}""", "field 'ips[0]' expected an object")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","table":true}]}""", "field 'routes[0].table' expected an integer")]
    [InlineData("""{"dns":{"nameservers":[1]}}""", "field 'dns.nameservers[0]' expected a string")]
    [InlineData("""[]""", "cannot decode prevResult: expected an object")]
    public void Read_ValueOfTheWrongType_IsError6NamingTheField(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read(json));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NumberTooLargeForItsField_IsError7NamingIt()
    {
        var error = Assert.Throws<CniException>(() => Read("""{"interfaces":[{"name":"eth0","mtu":3000000000}]}"""));

        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
        Assert.Contains("field 'interfaces[0].mtu' 3000000000 is not an integer from -2147483648 to 2147483647", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "prevResult is empty")]
    [InlineData("null", "prevResult is null")]
    [InlineData("{\"ips\":", "cannot decode prevResult")]
    public void Read_InputThatIsNoResult_IsError6(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => Read(json));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.StartsWith(fragment, error.Message, StringComparison.Ordinal);
    }

    private static CniResult Read(string json) => CniResult.Read(Encoding.UTF8.GetBytes(json), "prevResult");

    private static string Write(CniResult result)
    {
        var output = new ArrayBufferWriter<byte>();
        result.WriteTo(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The string as System.Text.Json writes it with the default encoder.</summary>
    private static string Escaped(string text)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.Default }))
        {
            writer.WriteStringValue(text);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
