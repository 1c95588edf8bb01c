using System.Net;

namespace Sluice.Portmap.Tests;

public sealed class PortForwardTagTests
{
    private static readonly MappingOwner Owner = new("podnet", "0123abcd", "eth0");

    [Fact]
    public void Format_WritesOwnerAndForwardInOrder()
    {
        var forward = new PortForward(Owner, MappingProtocol.Udp, IPAddress.Parse("2001:db8::1"), 5353, IPAddress.Parse("fd44::5"), 53);

        Assert.Equal("podnet 0123abcd eth0 udp 2001:db8::1 5353 fd44::5 53", PortForwardTag.Format(forward));
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("we\"ird'if")]
    [InlineData("üñí%")]
    public void Parse_OfFormat_GivesTheForwardBack(string ifName)
    {
        var forward = new PortForward(Owner with { IfName = ifName }, MappingProtocol.Sctp, null, 9, IPAddress.Parse("10.44.0.7"), 9000);

        var tag = PortForwardTag.Format(forward);

        Assert.Equal(forward, PortForwardTag.Parse(tag));
        Assert.DoesNotContain('"', tag);
        Assert.Equal(8, tag.Split(' ').Length);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sluice pod networks")]
    [InlineData("podnet c eth0 tcp * 0 10.0.0.1 80")]
    [InlineData("podnet c eth0 tcp * 80 10.0.0.1 80 extra")]
    [InlineData("podnet c eth0 gre * 80 10.0.0.1 80")]
    [InlineData("podnet c eth%Z tcp * 80 10.0.0.1 80")]
    [InlineData("podnet c eth0 tcp 10.1 80 10.0.0.1 80")]
    public void Parse_OfAnotherComment_IsNull(string? comment)
    {
        Assert.Null(PortForwardTag.Parse(comment));
    }
}
