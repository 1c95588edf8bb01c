using System.ComponentModel;
using System.Diagnostics;
using Sluice.Linux.Processes;

namespace Sluice.Linux.Tests;

public sealed class ChildProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void Run_OutputErrorsAndExitCode_ComeBackSeparately()
    {
        var output = ChildProcess.Run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], "", Generous);

        Assert.Equal((3, "out\n", "err\n"), (output!.ExitCode, output.Stdout, output.Stderr));
    }

    [Fact]
    public void Run_WithInput_WritesItAndClosesStdin()
    {
        var output = ChildProcess.Run("/bin/cat", [], "line one\nline two\n", Generous);

        Assert.Equal((0, "line one\nline two\n", ""), (output!.ExitCode, output.Stdout, output.Stderr));
    }

    [Fact]
    public void Run_ArgumentsWithShellSyntax_ReachTheProgramUnchanged()
    {
        var output = ChildProcess.Run("/bin/echo", ["a b", "$HOME", "; rm -rf /"], "", Generous);

        Assert.Equal("a b $HOME ; rm -rf /\n", output!.Stdout);
    }

    [Fact]
    public void Run_ChildPastTheTimeLimit_IsKilledAndReturnsNull()
    {
        var watch = Stopwatch.StartNew();

        var output = ChildProcess.Run("/bin/sleep", ["30"], "", TimeSpan.FromMilliseconds(200));

        Assert.Null(output);
        // Killed, not waited out; the margin is for a loaded machine, not a performance claim.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Run_ProgramThatCannotStart_ThrowsWin32ExceptionNamingWhy()
    {
        var error = Assert.Throws<Win32Exception>(() => ChildProcess.Run("/nonexistent/tool", [], "", Generous));

        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sh")]
    [InlineData("./sh")]
    [InlineData("bin/sh")]
    public void Run_ProgramNotNamedByAnAbsolutePath_IsRefusedBeforeAnythingStarts(string file)
    {
        Assert.Throws<ArgumentException>(() => ChildProcess.Run(file, [], "", Generous));
    }

    [Fact]
    public void Run_EnvironmentAdditions_ReachTheChild()
    {
        var request = new ChildRequest("/bin/sh", ["-c", "echo $SLUICE_TEST_VALUE"])
        {
            Environment = new Dictionary<string, string?> { ["SLUICE_TEST_VALUE"] = "a b" },
            Limit = Generous,
        };

        Assert.Equal("a b\n", ChildProcess.Run(request)!.Stdout);
    }

    [Fact]
    public void ProgramPath_FindsTheSystemsToolsOnTheFixedSearchPathOnly()
    {
        Assert.Equal("/usr/bin/env", ProgramPath.Find("env"));
        Assert.Null(ProgramPath.Find("sluice-no-such-program"));
        Assert.Throws<ArgumentException>(() => ProgramPath.Find("../bin/sh"));
    }

    [Fact]
    public void Run_WithEnvironment_SetsAndRemovesVariablesOnTopOfOurs()
    {
        var request = new ChildRequest("/bin/sh", ["-c", "echo \"$SLUICE_CHILD_SET|${HOME-unset}|${PATH:+path}\""])
        {
            Environment = new Dictionary<string, string?> { ["SLUICE_CHILD_SET"] = "one two", ["HOME"] = null },
            Limit = Generous,
        };

        var output = ChildProcess.Run(request);

        Assert.Equal("one two|unset|path\n", output!.Stdout);
    }

    [Fact]
    public void Run_PastTheOutputBound_KillsTheChildAndKeepsTheFirstPart()
    {
        var watch = Stopwatch.StartNew();

        var output = ChildProcess.Run(new ChildRequest("/bin/sh", ["-c", "yes sluice; sleep 30"]) { MaxOutput = 10_000, Limit = Generous });

        Assert.NotNull(output);
        Assert.True(output.OutputCut);
        Assert.Equal(10_000, output.Stdout.Length);
        Assert.StartsWith("sluice\nsluice\n", output.Stdout, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Run_WithinTheOutputBound_ReadsEverything()
    {
        var output = ChildProcess.Run(new ChildRequest("/bin/sh", ["-c", "printf 12345"]) { MaxOutput = 5, Limit = Generous });

        Assert.Equal((0, "12345", "", false), (output!.ExitCode, output.Stdout, output.Stderr, output.OutputCut));
    }
}
