using System.Net;
using Sluice.Net;

namespace Sluice.Cni.Tests;

public sealed class InterfaceAddressTests
{
    [Theory]
    [InlineData("10.22.0.5/24", "10.22.0.0/24")]
    [InlineData("10.22.0.5/32", "10.22.0.5/32")]
    [InlineData("fd00::5/64", "fd00::/64")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Parse_KeepsHostBitsAndDerivesTheNetwork(string text, string network)
    {
        var address = InterfaceAddress.Parse(text);
        Assert.Equal(text, address.ToString());
        Assert.Equal(network, address.Network.ToString());
    }

    [Theory]
    [InlineData("10.22.0.5")]
    [InlineData("10.22.0.5/")]
    [InlineData("10.22.0.5/33")]
    [InlineData("fd00::5/129")]
    [InlineData("10.22.5/24")]
    [InlineData("010.22.0.5/24")]
    [InlineData("10.22.0.5/+4")]
    [InlineData("fe80::1%eth0/64")]
    [InlineData("/24")]
    public void TryParse_RejectsWhatGoRejects(string text) => Assert.False(InterfaceAddress.TryParse(text, out _));

    [Theory]
    [InlineData("1.2.3.4", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("256.1.1.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData("01.2.3.4", false)]
    [InlineData("0x1.2.3.4", false)]
    [InlineData("::1", true)]
    [InlineData("::ffff:1.2.3.4", true)]
    [InlineData("", false)]
    public void IpText_ParsesStrictly(string text, bool valid)
    {
        Assert.Equal(valid, IpText.TryParse(text, out var address));
        if (valid)
        {
            Assert.Equal(IPAddress.Parse(text), address);
        }
    }
}
