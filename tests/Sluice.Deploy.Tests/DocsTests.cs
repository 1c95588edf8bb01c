using System.Text.Json;

namespace Sluice.Deploy.Tests;

/// <summary>docs/configuration.md names every value of the chart and every setting the chart gives the agent.</summary>
public sealed class DocsTests
{
    private static readonly string Configuration = File.ReadAllText(Path.Combine(Repo.Root, "docs", "configuration.md"));

    [Fact]
    public void Configuration_NamesEveryValueOfTheSchema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChartRenderer.Chart, "values.schema.json")));
        var undocumented = ValuePaths(schema.RootElement.GetProperty("properties"), "")
            .Where(path => !Configuration.Contains($"`{path}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(undocumented.Count == 0, "not in docs/configuration.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void Configuration_NamesEveryCaptureKeyOfTheSchema()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(ChartRenderer.Chart, "values.schema.json")));
        var undocumented = schema.RootElement.GetProperty("properties").GetProperty("capture").GetProperty("properties").EnumerateObject()
            .Select(p => p.Name)
            .Where(key => !Configuration.Contains($"`{key}`", StringComparison.Ordinal))
            .ToList();

        Assert.True(undocumented.Count == 0, "capture keys not in docs/configuration.md: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void Configuration_NamesEveryVariableTheChartSets()
    {
        var env = ChartRenderer.Render(sets: ["primaryNetwork.enabled=true", "primaryNetwork.clusterCidrs={10.244.0.0/16}", "cniConfFileName=10-x.conflist"]).Env;
        var undocumented = env.Keys.Where(name => !Configuration.Contains($"`{name}`", StringComparison.Ordinal)).ToList();

        Assert.True(undocumented.Count == 0, "not in docs/configuration.md: " + string.Join(", ", undocumented));
    }

    /// <summary>Top-level values, and the keys of objects whose keys the schema fixes (agent.healthPort), except the capture keys (their own table).</summary>
    private static IEnumerable<string> ValuePaths(JsonElement properties, string prefix)
    {
        foreach (var property in properties.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (property.Value.TryGetProperty("properties", out var nested) && property.Name is not ("capture" or "selector"))
            {
                foreach (var child in ValuePaths(nested, path + "."))
                {
                    yield return child;
                }
            }
            else
            {
                yield return path;
            }
        }
    }
}
