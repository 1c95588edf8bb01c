namespace Sluice.Deploy.Tests;

/// <summary>ownedConflist: off by default; on, it names the owned copy to the agent; only with chained mode.</summary>
public sealed class ChartOwnedConflistTests
{
    [Fact]
    public void Render_Defaults_OwnedConflistOffAndNoNameGiven()
    {
        var env = ChartRenderer.Render().Env;

        Assert.Equal("false", env["OWNED_CONFLIST"]);
        Assert.False(env.ContainsKey("OWNED_CONFLIST_NAME"));
    }

    [Fact]
    public void Render_Enabled_PassesTheSwitchAndTheFileName()
    {
        var env = ChartRenderer.Render(sets: ["ownedConflist.enabled=true", "ownedConflist.fileName=00-mesh.conflist"]).Env;

        Assert.Equal("true", env["OWNED_CONFLIST"]);
        Assert.Equal("00-mesh.conflist", env["OWNED_CONFLIST_NAME"]);
    }

    [Theory]
    [InlineData("chained=false")]
    [InlineData("primaryNetwork.enabled=true")]
    public void Render_EnabledOutsideChainedMode_FailsNamingWhy(string set)
    {
        var result = ChartRenderer.Run(null, ["ownedConflist.enabled=true", set, "primaryNetwork.clusterCidrs={10.244.0.0/16}"], "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ownedConflist.enabled is a way of chaining into the primary plugin's file", result.Errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../01-sluice.conflist")]
    [InlineData(".01-sluice.conflist")]
    [InlineData("01-sluice.conf")]
    public void Render_FileNameOutsideTheDirectoryOrNotAConflist_IsRefusedByTheSchema(string name)
    {
        var result = ChartRenderer.Run(null, [$"ownedConflist.fileName={name}"], "yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ownedConflist.fileName", result.Errors, StringComparison.Ordinal);
    }
}
