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

        Assert.Equal(new ChildOutput(3, "out\n", "err\n"), output);
    }

    [Fact]
    public void The_input_is_given_and_closed()
    {
        var output = ChildProcess.Run("/bin/cat", [], "line one\nline two\n", Generous);

        Assert.Equal(new ChildOutput(0, "line one\nline two\n", ""), output);
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

    [Fact]
    public void Run_WithEnvironment_SetsAndRemovesVariablesOnTopOfOurs()
    {
        var options = new ChildOptions { Environment = [new("SLUICE_CHILD_SET", "one two"), new("HOME", null)] };

        var output = ChildProcess.Run("/bin/sh", ["-c", "echo \"$SLUICE_CHILD_SET|${HOME-unset}|${PATH:+path}\""], "", Generous, options);

        Assert.Equal("one two|unset|path\n", output!.Stdout);
    }

    [Fact]
    public void Run_PastTheOutputBound_KillsTheChildAndKeepsTheFirstPart()
    {
        var watch = Stopwatch.StartNew();

        var output = ChildProcess.Run("/bin/sh", ["-c", "yes sluice; sleep 30"], "", Generous, new ChildOptions { MaxOutputChars = 10_000 });

        Assert.NotNull(output);
        Assert.True(output.OutputCut);
        Assert.Equal(10_000, output.Stdout.Length);
        Assert.StartsWith("sluice\nsluice\n", output.Stdout, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Run_WithinTheOutputBound_ReadsEverything()
    {
        var output = ChildProcess.Run("/bin/sh", ["-c", "printf 12345"], "", Generous, new ChildOptions { MaxOutputChars = 5 });

        Assert.Equal(new ChildOutput(0, "12345", ""), output);
    }
}
