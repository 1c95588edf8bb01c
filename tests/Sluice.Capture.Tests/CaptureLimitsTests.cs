using System.Globalization;
using Sluice.Capture.Policy;

namespace Sluice.Capture.Tests;

/// <summary>
/// Port lists merge adjacent and overlapping ports into ranges, and every list has a documented
/// cap (issue 17: 1.9 MB of ports in an annotation once installed 131,084 rules).
/// </summary>
public sealed class CaptureLimitsTests
{
    [Theory]
    [InlineData("80,81,82,90", "80-82,90")]
    [InlineData("1-100,50-200,201", "1-201")]
    [InlineData("443,80,443,81", "80-81,443")]
    [InlineData("5000:5999,6000", "5000-6000")]
    public void PortSetParse_AdjacentOrOverlappingPorts_MergeIntoRanges(string text, string merged) =>
        Assert.Equal(merged, PortSet.Parse(text, "ports").ToString());

    [Fact]
    public void PortSetParse_EveryPortListedSeparately_IsOneRange()
    {
        var text = string.Join(',', Enumerable.Range(1, 65535).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        var set = PortSet.Parse(text, "ports");
        Assert.Equal([new PortRange(1, 65535)], set.Ranges);
    }

    [Fact]
    public void PortSetParse_MoreSeparatePortsThanTheCap_IsRefusedNamingTheField()
    {
        var text = string.Join(',', Enumerable.Range(0, CaptureLimits.MaxListEntries + 1).Select(i => (2 * i + 1).ToString(CultureInfo.InvariantCulture)));
        var error = Assert.Throws<PolicyException>(() => PortSet.Parse(text, "traffic.sidecar.istio.io/excludeOutboundPorts"));
        Assert.Equal("traffic.sidecar.istio.io/excludeOutboundPorts", error.Setting);
        Assert.Contains($"lists {CaptureLimits.MaxListEntries + 1} separate ports", error.Problem, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, "the message repeats only an excerpt of the value");
        Assert.Equal(CaptureLimits.MaxListEntries, PortSet.Parse(string.Join(',', text.Split(',').Skip(1)), "f").Ranges.Count);
    }

    [Fact]
    public void CidrSetParse_MoreNetworksThanTheCap_IsRefused()
    {
        var text = string.Join(',', Enumerable.Range(0, CaptureLimits.MaxListEntries + 1).Select(i => $"10.{i / 256}.{i % 256}.0/24"));
        var error = Assert.Throws<PolicyException>(() => CidrSet.Parse(text, "-x"));
        Assert.Contains($"lists {CaptureLimits.MaxListEntries + 1} networks", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void InterfaceNamesParse_MoreNamesThanTheCap_IsRefused()
    {
        var text = string.Join(',', Enumerable.Range(0, CaptureLimits.MaxInterfaces + 1).Select(i => $"eth{i}"));
        var error = Assert.Throws<PolicyException>(() => InterfaceNames.Parse(text, "-c"));
        Assert.Contains($"lists {CaptureLimits.MaxInterfaces + 1} interfaces", error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("veth+")]
    [InlineData("net1.100")]
    [InlineData("br_int-2")]
    [InlineData("fifteen-chars-x")]
    public void InterfaceNamesParse_NameOrFinalWildcard_IsAccepted(string name) =>
        Assert.Equal([name], InterfaceNames.Parse(name, "-c"));

    [Theory]
    [InlineData("+")]
    [InlineData("x\"")]
    [InlineData("x'")]
    [InlineData("-j")]
    [InlineData("a\\b")]
    [InlineData("e+th")]
    [InlineData("++")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("bad/name")]
    [InlineData("ethé")]
    public void InterfaceNamesParse_NameARuleCannotCarrySafely_IsRefused(string name) =>
        Assert.Throws<PolicyException>(() => InterfaceNames.Parse(name, "-c"));

    [Fact]
    public void InterfaceNamesParse_ControlOrNonAsciiCharacter_IsRefused()
    {
        foreach (var c in new[] { '\0', '\n', '\r', '\t', '\u001b', '\u007f', '\u0085', '\u00e9', '\u2028' })
        {
            Assert.Throws<PolicyException>(() => InterfaceNames.Parse("et" + c + "h", "-c"));
        }
    }

    [Fact]
    public void SluiceIptablesRun_NetnsNotANetworkNamespace_Exits2NamingTheFlag()
    {
        var (status, output, errors) = CommandLineTests.Run(["--netns", "/dev/null", "-q", "554", "-p", "8554"]);
        Assert.Equal(2, status);
        Assert.Empty(output);
        Assert.StartsWith("sluice-iptables: --netns '/dev/null' is not a network namespace: it is a character device", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PolicyBuiltInCodeWithWildcardOnlyInterface_IsRefusedNamingTheField()
    {
        var policy = CapturePresets.Istio with { ExcludeInterfaces = ["+"] };
        var error = Assert.Throws<PolicyException>(() => policy.Validate());
        Assert.Equal(PolicyFields.ExcludeInterfaces, error.Setting);
    }
}
