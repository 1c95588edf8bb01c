namespace Sluice.Deploy.Tests;

/// <summary>deploy/manifests/sluice.yaml is the chart rendered with its defaults, so it cannot go stale.</summary>
public sealed class ManifestsTests
{
    [Fact]
    public void Manifests_EqualTheChartRenderedWithDefaults_RegenerateWithMakeManifests()
    {
        var rendered = ChartRenderer.Run(null, [], "yaml");
        Assert.Equal(0, rendered.ExitCode);
        var manifests = File.ReadAllText(Path.Combine(Repo.Root, "deploy", "manifests", "sluice.yaml"));

        // The file starts with comment lines saying how it was made; the rest is the render.
        var header = string.Concat(manifests.Split('\n').TakeWhile(line => line.StartsWith('#')).Select(line => line + "\n"));
        Assert.NotEmpty(header);
        Assert.True(manifests[header.Length..] == rendered.Output, "deploy/manifests/sluice.yaml differs from the chart: run 'make manifests'");
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
