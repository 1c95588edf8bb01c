namespace Sluice.Deploy.Tests;

/// <summary>values.schema.json refuses bad values before anything is rendered, as helm does.</summary>
public sealed class ChartSchemaTests
{
    [Theory]
    [InlineData("profile=linkerd", "- profile: profile must be one of the following: \"msm\", \"istio\", \"generic\"")]
    [InlineData("backend=nftables", "- backend: backend must be one of the following: \"auto\", \"nft\", \"iptables\"")]
    [InlineData("logLevel=trace", "- logLevel: logLevel must be one of the following:")]
    [InlineData("failurePolicy=retry", "- failurePolicy: failurePolicy must be one of the following:")]
    [InlineData("runtimeLoopback=after-chain", "- runtimeLoopback: runtimeLoopback must be one of the following: \"auto\", \"beside-chain\", \"before-chain\"")]
    [InlineData("agent.healthPort=0", "- agent.healthPort: Must be greater than or equal to 1")]
    [InlineData("agent.healthPort=65536", "- agent.healthPort: Must be less than or equal to 65535")]
    [InlineData("agent.healthPort=http", "- agent.healthPort: Invalid type. Expected: integer, given: string")]
    [InlineData("chained=yes", "- chained: Invalid type. Expected: boolean, given: string")]
    [InlineData("primaryNetwork.clusterCidrs={10.244.0.0}", "- primaryNetwork.clusterCidrs.0: Does not match pattern")]
    [InlineData("primaryNetwork.clusterCidrs={10.244.0.0/16,fd00::}", "- primaryNetwork.clusterCidrs.1: Does not match pattern")]
    [InlineData("primaryNetwork.mtu=70000", "- primaryNetwork.mtu: Must be less than or equal to 65535")]
    [InlineData("primaryNetwork.mtu=jumbo", "- primaryNetwork.mtu: Invalid type. Expected: integer, given: string")]
    [InlineData("cniBinDir=opt/cni/bin", "- cniBinDir: Does not match pattern '^/'")]
    [InlineData("capture.inboundMode=TPROXX", "- capture.inboundMode: inboundMode must be one of the following: \"REDIRECT\", \"TPROXY\"")]
    [InlineData("capture.outboundPort=70000", "- capture.outboundPort: Must be less than or equal to 65535")]
    [InlineData("capture.outboundPortz=15001", "- capture: Additional property outboundPortz is not allowed")]
    [InlineData("profiles=msm", "- (root): Additional property profiles is not allowed")]
    [InlineData("repair.mode=fix", "- repair.mode: mode must be one of the following: \"repair\", \"label\", \"delete\", \"off\"")]
    [InlineData("repair.checkPeriodSeconds=0", "- repair.checkPeriodSeconds: Must be greater than or equal to 1")]
    [InlineData("repair.netnsDirs={run/netns}", "- repair.netnsDirs.0: Does not match pattern '^/'")]
    [InlineData("repair.validationContainers={Istio_Validation}", "- repair.validationContainers.0: Does not match pattern")]
    public void Render_BadValue_SchemaRejectsItNamingTheValue(string set, string problem)
    {
        var result = ChartRenderer.Run(null, [set], "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: values don't meet the specifications of the schema(s) in the following chart(s):\nsluice:\n", result.Errors, StringComparison.Ordinal);
        Assert.Contains(problem, result.Errors, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Render_DualStackClusterCidrsAndStringOrListCaptureValues_SchemaAccepts()
    {
        var chart = ChartRenderer.Render("""
            primaryNetwork: {enabled: true, clusterCidrs: [10.244.0.0/16, "fd00:10:244::/56"]}
            capture: {inboundPorts: "*", outboundExcludePorts: [15020, "9000-9100"], families: ipv4}
            """);

        Assert.Equal("*", chart.PluginEntry.GetProperty("capture").GetProperty("inboundPorts").GetString());
    }
}
