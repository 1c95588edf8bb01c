namespace Sluice.Deploy.Tests;

/// <summary>primaryNetwork.enabled: the agent writes the sluice-bridge conflist and routes to other nodes.</summary>
public sealed class ChartPrimaryNetworkTests
{
    private const string PrimaryValues = """
        primaryNetwork:
          enabled: true
          clusterCidrs: [10.244.0.0/16, "fd00:10:244::/56"]
        """;

    [Fact]
    public void Render_PrimaryNetworkOn_ClusterRoleGrantsReadingNodes()
    {
        var chart = ChartRenderer.Render(PrimaryValues);

        Assert.Equal(["/pods: get,list,watch", "/events: create", "/nodes: get,list,watch"], chart.ClusterRoleRules);
    }

    [Fact]
    public void Render_PrimaryNetworkOn_EnvTurnsItOnWithTheClusterCidrsCommaSeparated()
    {
        var env = ChartRenderer.Render(PrimaryValues).Env;

        Assert.Equal("true", env["PRIMARY_NETWORK"]);
        Assert.Equal("10.244.0.0/16,fd00:10:244::/56", env["CLUSTER_CIDR"]);
    }

    [Fact]
    public void Render_PrimaryNetworkOn_PodMtuIsZeroToDeriveIt_OrTheValueSet()
    {
        Assert.Equal("0", ChartRenderer.Render(PrimaryValues).Env["POD_MTU"]);
        Assert.Equal("1450", ChartRenderer.Render(PrimaryValues, "primaryNetwork.mtu=1450").Env["POD_MTU"]);
    }

    [Fact]
    public void Render_PrimaryNetworkOn_BackendIsHostGwWithoutVxlanSettings_OrVxlanWithThem()
    {
        var hostGw = ChartRenderer.Render(PrimaryValues).Env;
        var vxlan = ChartRenderer.Render(PrimaryValues, "primaryNetwork.backend=vxlan", "primaryNetwork.directRouting=true", "primaryNetwork.vxlan.vni=42", "primaryNetwork.vxlan.port=4789", "primaryNetwork.vxlan.device=vx0").Env;

        Assert.Equal("host-gw", hostGw["BACKEND"]);
        Assert.DoesNotContain(hostGw.Keys, k => k.StartsWith("VXLAN_", StringComparison.Ordinal) || k == "DIRECT_ROUTING");
        Assert.Equal(("vxlan", "true", "42", "4789", "vx0"), (vxlan["BACKEND"], vxlan["DIRECT_ROUTING"], vxlan["VXLAN_VNI"], vxlan["VXLAN_PORT"], vxlan["VXLAN_DEVICE"]));
    }

    [Fact]
    public void Render_PrimaryNetworkOn_VxlanNeedsNoWriteAccessToNodes()
    {
        var chart = ChartRenderer.Render(PrimaryValues, "primaryNetwork.backend=vxlan");

        Assert.Equal(["/pods: get,list,watch", "/events: create", "/nodes: get,list,watch"], chart.ClusterRoleRules);
    }

    [Theory]
    [InlineData("primaryNetwork.backend=udp", "primaryNetwork.backend")]
    [InlineData("primaryNetwork.backend=vxlan;primaryNetwork.vxlan.vni=0", "vni")]
    [InlineData("primaryNetwork.backend=vxlan;primaryNetwork.vxlan.device=a-name-too-long", "device")]
    [InlineData("primaryNetwork.directRouting=true", "primaryNetwork.directRouting is a vxlan setting")]
    public void Render_BadBackendValue_IsRefusedNamingIt(string sets, string expected)
    {
        var result = ChartRenderer.Run(PrimaryValues, sets.Split(';'), "json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_PrimaryNetworkOff_HasNoClusterCidrEnv()
    {
        var env = ChartRenderer.Render(sets: "primaryNetwork.clusterCidrs={10.244.0.0/16}").Env;

        Assert.Equal("false", env["PRIMARY_NETWORK"]);
        Assert.False(env.ContainsKey("CLUSTER_CIDR"));
        Assert.False(env.ContainsKey("POD_MTU"));
    }

    [Fact]
    public void Render_PrimaryNetworkOn_MountsNothingMoreThanChainedMode()
    {
        Assert.Equal(ChartRenderer.Render().HostPaths, ChartRenderer.Render(PrimaryValues).HostPaths);
    }

    [Fact]
    public void Render_PrimaryNetworkOnWithoutClusterCidrs_FailsAsHelmsRequiredDoes()
    {
        var result = ChartRenderer.Run(null, ["primaryNetwork.enabled=true"], "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: execution error at (sluice/templates/daemonset.yaml:", result.Errors, StringComparison.Ordinal);
        Assert.Contains("): primaryNetwork.clusterCidrs must name the cluster's pod CIDR(s) when primaryNetwork.enabled is true", result.Errors, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }
}
