using Sluice.Redirect;

namespace Sluice.Redirect.Tests;

/// <summary>explain's command line (the lookups it then makes are in RedirectProcessTests).</summary>
public sealed class RedirectExplainTests
{
    private static (int Code, string Output, string Errors) Run(params string[] arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = RedirectExplain.Run(arguments, output, errors);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void Run_Help_PrintsEveryOptionAndTheExitStatuses()
    {
        var (code, output, _) = Run("--help");

        Assert.Equal(0, code);
        Assert.StartsWith("Usage: sluice-redirect explain --namespace NS --pod NAME", output, StringComparison.Ordinal);
        foreach (var flag in new[] { "--namespace", "--pod", "--config", "--kubeconfig", "--profile", "--backend" })
        {
            Assert.Contains(flag, output, StringComparison.Ordinal);
        }

        Assert.Contains("Exit status: 0 the pod would be captured, 4 it would not", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--namespace", "shop" }, "--pod is required")]
    [InlineData(new[] { "--namespace", "shop", "--pod", "web", "--verbose" }, "unknown option '--verbose'")]
    [InlineData(new[] { "--namespace", "shop", "--pod" }, "--pod needs a value")]
    [InlineData(new[] { "--namespace", "shop", "--pod", "web", "--backend", "pf" }, "--backend")]
    public void Run_BadCommandLine_Exits2NamingTheOption(string[] arguments, string expected)
    {
        var (code, output, errors) = Run(arguments);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.StartsWith($"sluice-redirect explain: {expected}", errors, StringComparison.Ordinal);
        Assert.Contains("Try 'sluice-redirect explain --help'", errors, StringComparison.Ordinal);
    }
}
