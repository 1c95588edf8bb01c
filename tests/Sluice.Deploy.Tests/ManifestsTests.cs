namespace Sluice.Deploy.Tests;

/// <summary>deploy/manifests/ holds the chart rendered with its defaults (without, and only, its uninstall hook), so it cannot go stale.</summary>
public sealed class ManifestsTests
{
    [Theory]
    [InlineData("sluice.yaml", "--no-hooks")]
    [InlineData("sluice-uninstall.yaml", "--show-only=templates/uninstall.yaml")]
    public void Manifests_EqualTheChartRenderedWithDefaults_RegenerateWithMakeManifests(string file, string selection)
    {
        var rendered = ChartRenderer.Run(null, [], "yaml", selection);
        Assert.Equal(0, rendered.ExitCode);
        var manifests = File.ReadAllText(Path.Combine(Repo.Root, "deploy", "manifests", file));

        // The file starts with comment lines saying how it was made; the rest is the render.
        var header = string.Concat(manifests.Split('\n').TakeWhile(line => line.StartsWith('#')).Select(line => line + "\n"));
        Assert.NotEmpty(header);
        Assert.True(manifests[header.Length..] == rendered.Output, $"deploy/manifests/{file} differs from the chart: run 'make manifests'");
    }

    [Fact]
    public void Manifests_ForKubectlApply_HoldNoHookThatWouldUninstallAtOnce()
    {
        var manifests = File.ReadAllText(Path.Combine(Repo.Root, "deploy", "manifests", "sluice.yaml"));

        Assert.DoesNotContain("helm.sh/hook", manifests, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Job", manifests, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_RenderWithTheReleasesRolloutAndExplainCommands()
    {
        var notes = ChartRenderer.Run(null, [], "yaml", "--notes");

        Assert.Equal(0, notes.ExitCode);
        Assert.Contains("kubectl -n kube-system rollout status daemonset/sluice", notes.Output, StringComparison.Ordinal);
        Assert.Contains("sluice-redirect explain", notes.Output, StringComparison.Ordinal);
    }
}
