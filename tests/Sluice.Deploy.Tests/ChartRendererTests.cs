namespace Sluice.Deploy.Tests;

/// <summary>chartrender stays honest: what it renders, helm would render too.</summary>
public sealed class ChartRendererTests : IDisposable
{
    private readonly string _chart = Directory.CreateTempSubdirectory("sluice-chart-").FullName;

    public ChartRendererTests()
    {
        File.WriteAllText(Path.Combine(_chart, "Chart.yaml"), "apiVersion: v2\nname: probe\nversion: 0.0.1\n");
        File.WriteAllText(Path.Combine(_chart, "values.yaml"), "name: x\nempty: \"\"\n");
        Directory.CreateDirectory(Path.Combine(_chart, "templates"));
    }

    public void Dispose() => Directory.Delete(_chart, recursive: true);

    [Theory]
    [InlineData("tpl", "{{ tpl .Values.name . }}")]
    [InlineData("lookup", "{{ lookup \"v1\" \"Pod\" \"\" \"\" }}")]
    [InlineData("env", "{{ env \"HOME\" }}")]
    public void Render_FunctionTheRendererDoesNotHave_Fails(string function, string template)
    {
        var result = RenderTemplate(template);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"function \"{function}\" not defined", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RequiredOnEmptyString_FailsWithHelmsMessageShape()
    {
        var result = RenderTemplate("kind: ConfigMap\napiVersion: v1\nx: {{ required \"empty must be set\" .Values.empty }}\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: execution error at (probe/templates/t.yaml:3:6): empty must be set\n", result.Errors);
    }

    [Fact]
    public void Render_Fail_FailsWithHelmsMessageShape()
    {
        var result = RenderTemplate("{{ fail \"not supported\" }}");

        Assert.Equal("Error: execution error at (probe/templates/t.yaml:1:3): not supported\n", result.Errors);
    }

    [Fact]
    public void Render_MissingValue_FailsInsteadOfRenderingNothing()
    {
        var result = RenderTemplate("x: {{ .Values.nmae }}");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("map has no entry for key \"nmae\"", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_DocumentThatIsNotYaml_Fails()
    {
        var result = RenderTemplate("kind: ConfigMap\napiVersion: v1\ndata: [unclosed\n");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("YAML parse error on probe/templates/t.yaml", result.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ToYamlAndInclude_AsHelmRendersThem()
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "_helpers.tpl"), "{{- define \"probe.name\" -}}{{ .Values.name }}-n{{- end -}}");
        var result = RenderTemplate("kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ include \"probe.name\" . }}\ndata:\n  {{- toYaml (dict \"b\" \"2\" \"a\" \"1\") | nindent 2 }}\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("---\n# Source: probe/templates/t.yaml\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x-n\ndata:\n  a: \"1\"\n  b: \"2\"\n", result.Output);
    }

    private RenderResult RenderTemplate(string template)
    {
        File.WriteAllText(Path.Combine(_chart, "templates", "t.yaml"), template);
        return ChartRenderer.RunOn(_chart, null, [], "yaml");
    }
}
