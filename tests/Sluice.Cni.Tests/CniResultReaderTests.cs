using System.Text;
using System.Text.Json;
using Sluice.Cni.Json;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

/// <summary>The hand-written result reader gives what the serializer gives for <see cref="CniResult"/>, and names the same field when it fails.</summary>
public sealed class CniResultReaderTests
{
    public static TheoryData<string> Results() =>
    [
        """{"cniVersion":"1.1.0","interfaces":[{"name":"eth0","mac":"aa:bb:cc:dd:ee:ff","mtu":1500,"sandbox":"/var/run/netns/p","socketPath":"/s","pciID":"0000:00:01.0"}],"ips":[{"address":"10.0.0.2/24","gateway":"10.0.0.1","interface":0}],"routes":[{"dst":"0.0.0.0/0","gw":"10.0.0.1","mtu":1400,"advmss":1360,"priority":10,"table":100,"scope":0}],"dns":{"nameservers":["10.0.0.10"],"domain":"d","search":["s"],"options":["o"]}}""",
        """{"CNIVersion":"0.3.1","Interfaces":[{"Name":"eth0"}],"IPS":[{"Version":"4","Address":"10.0.0.2/24","Interface":0}],"unknown":[1,{"a":2}]}""",
        """{"cniVersion":"1.0.0","interfaces":null,"ips":[],"routes":null,"dns":null}""",
        """{"cniVersion":"1.0.0","ips":[{"address":null,"gateway":null,"interface":null}],"routes":[{"dst":"::/0","extra":true}]}""",
        """{}""",
    ];

    [Theory]
    [MemberData(nameof(Results))]
    public void A_result_reads_as_the_serializer_reads_it(string json)
    {
        var ours = CniResultReader.Read(Encoding.UTF8.GetBytes(json), "prevResult");
        var theirs = JsonSerializer.Deserialize(json, CniJsonContext.Default.CniResult)!;

        Assert.Equal(JsonSerializer.Serialize(theirs, CniJsonContext.Default.CniResult), JsonSerializer.Serialize(ours, CniJsonContext.Default.CniResult));
    }

    [Theory]
    [InlineData("""{"cniVersion":1}""", "field 'cniVersion' expected a string")]
    [InlineData("""{"interfaces":{}}""", "field 'interfaces' expected an array")]
    [InlineData("""{"interfaces":[{"name":"eth0","mtu":"big"}]}""", "field 'interfaces[0].mtu' expected an integer")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/24"},{"interface":1.5}]}""", "field 'ips[1].interface' expected an integer")]
    [InlineData("""{"ips":["10.0.0.2/24"]}""", "field 'ips[0]' expected an object")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","table":true}]}""", "field 'routes[0].table' expected an integer")]
    [InlineData("""{"dns":{"nameservers":[1]}}""", "field 'dns.nameservers[0]' expected a string")]
    [InlineData("""[]""", "cannot decode prevResult: expected an object")]
    public void A_value_of_the_wrong_type_is_error_6_naming_the_field_as_the_serializer_does(string json, string fragment)
    {
        var ours = Assert.Throws<CniException>(() => CniResultReader.Read(Encoding.UTF8.GetBytes(json), "prevResult"));
        var theirs = Assert.Throws<CniException>(() => JsonDecoding.Decode(Encoding.UTF8.GetBytes(json), CniJsonContext.Default.CniResult, "prevResult"));

        Assert.Equal(CniErrorCode.DecodingFailure, ours.Code);
        Assert.Contains(fragment, ours.Message, StringComparison.Ordinal);
        Assert.Equal(theirs.Message, ours.Message);
    }

    [Theory]
    [InlineData("", "prevResult is empty")]
    [InlineData("null", "prevResult is null")]
    [InlineData("{\"ips\":", "cannot decode prevResult")]
    public void Input_that_is_no_result_is_error_6(string json, string fragment)
    {
        var error = Assert.Throws<CniException>(() => CniResultReader.Read(Encoding.UTF8.GetBytes(json), "prevResult"));

        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.StartsWith(fragment, error.Message, StringComparison.Ordinal);
    }
}
