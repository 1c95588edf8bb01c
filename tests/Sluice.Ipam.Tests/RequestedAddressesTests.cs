using Sluice.Cni;
using Sluice.Ipam.Config;
using static Sluice.Ipam.Tests.Settings;

namespace Sluice.Ipam.Tests;

public sealed class RequestedAddressesTests
{
    [Fact]
    public void From_CollectsCniArgsConfigArgsAndRuntimeConfig()
    {
        var config = Settings.Config("{}", ""","args":{"cni":{"ips":["10.0.0.5/24"]}},"runtimeConfig":{"ips":["fd00::5"]}""");
        var addresses = RequestedAddresses.From(config, CniArgs.Parse("IP=10.0.1.5,10.0.2.5"));
        Assert.Equal(["10.0.1.5", "10.0.2.5", "10.0.0.5", "fd00::5"], addresses.Select(a => a.ToString()));
    }

    [Fact]
    public void From_BadCniArgsIp_FailsWithCode4()
    {
        var error = Assert.Throws<CniException>(() => RequestedAddresses.From(Settings.Config("{}"), CniArgs.Parse("IP=banana")));
        Assert.Equal(CniErrorCode.InvalidEnvironmentVariables, error.Code);
        Assert.Contains("CNI_ARGS IP 'banana'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_BadRuntimeIp_FailsWithCode7()
    {
        var error = Assert.Throws<CniException>(() => RequestedAddresses.From(Settings.Config("{}", ""","runtimeConfig":{"ips":["1.2.3"]}"""), CniArgs.Empty));
        Assert.Equal(CniErrorCode.InvalidNetworkConfig, error.Code);
    }
}
