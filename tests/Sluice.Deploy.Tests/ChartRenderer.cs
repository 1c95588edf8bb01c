using System.Diagnostics;
using System.Text.Json;

namespace Sluice.Deploy.Tests;

/// <summary>Runs tests/tools/chartrender (built by make test-tools) on deploy/helm/sluice.</summary>
internal static class ChartRenderer
{
    public const string Release = "sluice";
    public const string Namespace = "kube-system";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    public static string Chart => Path.Combine(Repo.Root, "deploy", "helm", "sluice");

    /// <summary>The chart rendered as JSON documents; fails the test when the render fails.</summary>
    public static RenderedChart Render(string? valuesYaml = null, params string[] sets)
    {
        var result = Run(valuesYaml, sets, "json");
        Assert.True(result.ExitCode == 0, $"chartrender failed ({result.ExitCode}): {result.Errors}");
        using var document = JsonDocument.Parse(result.Output);
        return new RenderedChart(document.RootElement.EnumerateArray().Select(d => d.Clone()).ToList());
    }

    /// <summary>The chart rendered, whatever the outcome.</summary>
    public static RenderResult Run(string? valuesYaml, IEnumerable<string> sets, string output, params string[] extra) =>
        RunOn(Chart, valuesYaml, sets, output, extra);

    /// <summary>Any chart directory rendered, whatever the outcome.</summary>
    public static RenderResult RunOn(string chart, string? valuesYaml, IEnumerable<string> sets, string output, params string[] extra)
    {
        var arguments = new List<string> { "--name", Release, "--namespace", Namespace, "--output", output };
        arguments.AddRange(extra);
        string? valuesFile = null;
        if (valuesYaml is not null)
        {
            valuesFile = Path.Combine(Path.GetTempPath(), $"sluice-values-{Guid.NewGuid():N}.yaml");
            File.WriteAllText(valuesFile, valuesYaml);
            arguments.AddRange(["-f", valuesFile]);
        }

        foreach (var set in sets)
        {
            arguments.AddRange(["--set", set]);
        }

        arguments.Add(chart);
        try
        {
            return Exec(arguments);
        }
        finally
        {
            if (valuesFile is not null)
            {
                File.Delete(valuesFile);
            }
        }
    }

    private static RenderResult Exec(List<string> arguments)
    {
        var tool = Path.Combine(Repo.Root, "artifacts", "tools", "chartrender");
        if (!File.Exists(tool))
        {
            throw new FileNotFoundException($"{tool} is missing: run 'make test-tools' first", tool);
        }

        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        arguments.ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {tool}");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill();
            throw new TimeoutException($"chartrender did not finish within {Timeout}");
        }

        return new RenderResult(process.ExitCode, output, errors.Result);
    }
}

internal sealed record RenderResult(int ExitCode, string Output, string Errors);
