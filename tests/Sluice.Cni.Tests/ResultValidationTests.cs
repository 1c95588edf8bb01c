using System.Text.Json;
using Sluice.Cni.Json;
using Sluice.Cni.Results;

namespace Sluice.Cni.Tests;

public sealed class ResultValidationTests
{
    private static CniException Invalid(string json)
    {
        var result = ResultText.Read(json);
        return Assert.Throws<CniException>(() => ResultValidation.Validate(result, "prevResult"));
    }

    [Theory]
    [InlineData("""{"ips":[{"address":"10.0.0.2"}]}""", "prevResult.ips[0].address")]
    [InlineData("""{"ips":[{"address":"10.0.0.300/24"}]}""", "prevResult.ips[0].address")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/33"}]}""", "prevResult.ips[0].address")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/24","gateway":"nope"}]}""", "prevResult.ips[0].gateway")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/24","gateway":"fd00::1"}]}""", "prevResult.ips[0].gateway")]
    [InlineData("""{"ips":[{"version":"6","address":"10.0.0.2/24"}]}""", "prevResult.ips[0].version")]
    [InlineData("""{"interfaces":[{"name":"eth0"}],"ips":[{"address":"10.0.0.2/24","interface":1}]}""", "prevResult.ips[0].interface")]
    [InlineData("""{"ips":[{"address":"10.0.0.2/24","interface":-1}]}""", "prevResult.ips[0].interface")]
    [InlineData("""{"routes":[{"dst":"default"}]}""", "prevResult.routes[0].dst")]
    [InlineData("""{"routes":[{"dst":"0.0.0.0/0","gw":"x"}]}""", "prevResult.routes[0].gw")]
    [InlineData("""{"interfaces":[{"name":""}]}""", "prevResult.interfaces[0].name")]
    [InlineData("""{"dns":{"nameservers":["dns.example"]}}""", "prevResult.dns.nameservers[0]")]
    public void Validate_NamesTheBadField(string json, string field)
    {
        var error = Invalid(json);
        Assert.Equal(CniErrorCode.DecodingFailure, error.Code);
        Assert.StartsWith(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsACompleteResult()
    {
        var result = ResultText.Read(
            """{"interfaces":[{"name":"br"},{"name":"eth0","sandbox":"/x"}],"ips":[{"address":"fd00::2/64","gateway":"fd00::1","interface":1}],"routes":[{"dst":"::/0"}],"dns":{"nameservers":["fd00::53"]}}""");
        ResultValidation.Validate(result, "prevResult");
    }
}
