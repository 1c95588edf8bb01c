using Sluice.Ipam.Config;

namespace Sluice.Ipam.Tests;

public sealed class ResolvConfTests
{
    [Fact]
    public void Parse_ReadsEveryKeyAndSkipsComments()
    {
        var dns = ResolvConf.Parse(["# comment", "nameserver 10.96.0.10", "nameserver fd00::a", "; other", "domain cluster.local", "search a.svc b.svc", "options ndots:5 edns0", "bogus"]);
        Assert.Equal(["10.96.0.10", "fd00::a"], dns.Nameservers);
        Assert.Equal("cluster.local", dns.Domain);
        Assert.Equal(["a.svc", "b.svc"], dns.Search);
        Assert.Equal(["ndots:5", "edns0"], dns.Options);
    }
}
