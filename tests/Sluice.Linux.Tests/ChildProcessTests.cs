using System.ComponentModel;
using System.Diagnostics;
using Sluice.Linux.Processes;

namespace Sluice.Linux.Tests;

public sealed class ChildProcessTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    [Fact]
    public void Output_errors_and_exit_code_come_back_separately()
    {
        var output = ChildProcess.Run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], "", Generous);

        Assert.Equal((3, "out\n", "err\n"), (output!.ExitCode, output.Stdout, output.Stderr));
    }

    [Fact]
    public void The_input_is_given_and_closed()
    {
        var output = ChildProcess.Run("/bin/cat", [], "line one\nline two\n", Generous);

        Assert.Equal((0, "line one\nline two\n", ""), (output!.ExitCode, output.Stdout, output.Stderr));
    }

    [Fact]
    public void Arguments_reach_the_program_as_they_are_never_through_a_shell()
    {
        var output = ChildProcess.Run("/bin/echo", ["a b", "$HOME", "; rm -rf /"], "", Generous);

        Assert.Equal("a b $HOME ; rm -rf /\n", output!.Stdout);
    }

    [Fact]
    public void A_child_past_the_limit_is_killed_and_reported_as_no_answer()
    {
        var watch = Stopwatch.StartNew();

        var output = ChildProcess.Run("/bin/sleep", ["30"], "", TimeSpan.FromMilliseconds(200));

        Assert.Null(output);
        // Killed, not waited out; the margin is for a loaded machine, not a performance claim.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void A_program_that_cannot_be_started_is_a_win32_exception_naming_why()
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
