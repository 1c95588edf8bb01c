using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Cni.Json;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

/// <summary>The hand-written result writer prints exactly the bytes the serializer prints for <see cref="CniResult"/>.</summary>
public sealed class CniResultWriterTests
{
    public static TheoryData<string> Results() =>
    [
        """{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","mtu":1500,"sandbox":"/var/run/netns/p","socketPath":"/s","pciID":"0000:00:01.0"},{"name":"veth1"}],"ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1","interface":0},{"version":"6","address":"fd00::2/64"}],"routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400,"advmss":1360,"priority":10,"table":100,"scope":0}],"dns":{"nameservers":["10.0.0.10"],"domain":"d","search":["s"],"options":["o"]}}""",
        """{"cniVersion":"1.0.0","interfaces":[{"name":"<eth0>&'\"é\u2028"}],"ips":[],"routes":[],"dns":{}}""",
        """{"cniVersion":"0.3.1"}""",
        """{}""",
    ];

    [Theory]
    [MemberData(nameof(Results))]
    public void A_result_is_written_byte_for_byte_as_the_serializer_writes_it(string json)
    {
        var result = JsonSerializer.Deserialize(json, CniJsonContext.Default.CniResult)!;
        var output = new ArrayBufferWriter<byte>();

        CniResultWriter.Write(output, result);

        Assert.Equal(JsonSerializer.Serialize(result, CniJsonContext.Default.CniResult), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Null_fields_and_null_list_entries_are_written_as_the_serializer_writes_them()
    {
        var result = new CniResult { CniVersion = "1.0.0", Interfaces = [null!], Ips = [new() { Address = null! }], Dns = new() { Nameservers = [null!] } };
        var output = new ArrayBufferWriter<byte>();

        CniResultWriter.Write(output, result);

        Assert.Equal(JsonSerializer.Serialize(result, CniJsonContext.Default.CniResult), Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Every_character_is_escaped_exactly_as_the_serializer_escapes_it()
    {
        var texts = Enumerable.Range(0, char.MaxValue + 1)
            .Where(c => c is < 0xD800 or > 0xDFFF)
            .Select(c => $"a{(char)c}b")
            .Append("emoji \U0001F600 and \u00e9\u2028<&>")
            .ToList();
        foreach (var text in texts)
        {
            var result = new CniResult { CniVersion = "1.0.0", Interfaces = [new() { Name = text }], Dns = new() { Search = [text] } };
            var output = new ArrayBufferWriter<byte>();

            CniResultWriter.Write(output, result);

            Assert.Equal(JsonSerializer.Serialize(result, CniJsonContext.Default.CniResult), Encoding.UTF8.GetString(output.WrittenSpan));
        }
    }
}
