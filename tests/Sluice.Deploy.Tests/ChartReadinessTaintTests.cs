namespace Sluice.Deploy.Tests;

/// <summary>agent.readinessTaint: off by default with no node rights; on, the agent gets the key and get/patch on nodes.</summary>
public sealed class ChartReadinessTaintTests
{
    [Fact]
    public void Render_Defaults_NoTaintRemovalAndNoNodeRights()
    {
        var chart = ChartRenderer.Render();

        Assert.Equal("false", chart.Env["REMOVE_READINESS_TAINT"]);
        Assert.False(chart.Env.ContainsKey("READINESS_TAINT_KEY"));
        Assert.DoesNotContain(chart.ClusterRoleRules, rule => rule.StartsWith("/nodes", StringComparison.Ordinal));
    }

    [Fact]
    public void Render_Enabled_PassesTheKeyAndGrantsGetAndPatchOnNodes()
    {
        var chart = ChartRenderer.Render(sets: ["agent.readinessTaint.enabled=true", "agent.readinessTaint.key=example.com/cni-not-ready"]);

        Assert.Equal("true", chart.Env["REMOVE_READINESS_TAINT"]);
        Assert.Equal("example.com/cni-not-ready", chart.Env["READINESS_TAINT_KEY"]);
        Assert.Equal(["/pods: get,list,watch", "/events: create", "/nodes: get,patch"], chart.ClusterRoleRules);
    }

    [Fact]
    public void Render_EnabledInPrimaryNetworkMode_AddsPatchBesideTheNodeWatch()
    {
        var chart = ChartRenderer.Render(sets: ["agent.readinessTaint.enabled=true", "primaryNetwork.enabled=true", "primaryNetwork.clusterCidrs={10.244.0.0/16}"]);

        Assert.Equal(["/pods: get,list,watch", "/events: create", "/nodes: get,list,watch", "/nodes: get,patch"], chart.ClusterRoleRules);
    }

    [Theory]
    [InlineData("not a key")]
    [InlineData("/leading-slash")]
    public void Render_KeyThatIsNotATaintKey_IsRefusedByTheSchema(string key)
    {
        var result = ChartRenderer.Run(null, [$"agent.readinessTaint.key={key}"], "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("agent.readinessTaint.key", result.Errors, StringComparison.Ordinal);
    }
}
